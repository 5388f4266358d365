/**
 * The guest workers of one compiled module, shared by every host in the process: each worker runs
 * one sandbox at a time and requests queue for the next free one. When every busy worker is asleep
 * waiting for I/O (hanging backends, collapsed cache lookups), the pool grows so a blocked sandbox
 * does not delay another request's start, as on Compute where each request has its own sandbox;
 * extra workers retire when idle. Each host may run up to its own `max` sandboxes and the pool
 * grows to the sum of them: a local fleet's edge sandboxes, all waiting for the shields, must never
 * hold the workers the shields' own requests need (Compute has no such shared limit). The pool owns the deadline: a sandbox that outlives it is
 * terminated with its worker, which is replaced, so a guest that spins never takes the host down.
 */
import { GuestWorker } from './guest-worker';
import type { FromGuest, GuestRequestStats } from './protocol';
import { announceUnsupported, handleSandboxMessage } from './sandbox-messages';
import type { SandboxHost } from './sandbox-host';
import { SandboxRun, emptyStats } from './sandbox-run';

const GROWTH_CHECK_MS = 50;
const GROWTH_BURST = 4;
/** A sandbox asleep this long on a backend, a timer or a collapsed cache lookup is stalled. */
const STALLED_MS = 50;
const IDLE_RETIRE_MS = 5000;
/** Hosts come and go in tests and scripts: warm workers outlive the last host a little, without keeping the process alive. */
const LINGER_MS = 10_000;

interface Running {
  run: SandboxRun;
  worker: GuestWorker;
  startedAt: number;
}

export class GuestPool {
  private workers: GuestWorker[] = [];
  private queue: SandboxRun[] = [];
  private runs = new Map<number, Running>();
  private hosts = new Map<SandboxHost, { floor: number; max: number }>();
  private growTimer: NodeJS.Timeout | undefined;
  private lingerTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly module: WebAssembly.Module,
    private readonly script: URL,
  ) {}

  /** A host joins: the pool keeps at least `floor` workers while it is open; resolves once they are ready. */
  async join(host: SandboxHost, floor: number, max: number): Promise<void> {
    this.hosts.set(host, { floor, max: Math.max(floor, max) });
    clearTimeout(this.lingerTimer);
    for (const worker of this.live()) worker.keepProcessAlive(true);
    while (this.live().length < this.floor()) this.workers.push(this.spawn());
    await Promise.all(this.live().map((worker) => worker.whenReady));
  }

  /** A host leaves: its queued and running sandboxes end; the last host to leave stops the workers. */
  async leave(host: SandboxHost): Promise<void> {
    this.hosts.delete(host);
    for (const run of this.queue.filter((r) => r.host === host)) run.end('host-error', 'the host is shutting down');
    this.queue = this.queue.filter((r) => r.host !== host);
    for (const [jobId, current] of this.runs) {
      if (current.run.host !== host) continue;
      this.runs.delete(jobId);
      current.run.end('host-error', 'the host is shutting down');
      host.cache.sandboxEnded(jobId);
      this.replace(current.worker);
    }
    if (this.hosts.size > 0) return;
    clearTimeout(this.growTimer);
    for (const worker of this.live()) worker.keepProcessAlive(false);
    this.lingerTimer = setTimeout(() => void this.stopAll(), LINGER_MS);
    this.lingerTimer.unref();
  }

  private async stopAll(): Promise<void> {
    const stopping = this.workers;
    this.workers = [];
    await Promise.all(stopping.map((worker) => worker.stop()));
  }

  submit(run: SandboxRun): void {
    this.queue.push(run);
    this.pump();
    this.grow();
  }

  private floor(): number {
    return Math.max(0, ...[...this.hosts.values()].map((h) => h.floor));
  }

  /** The sum of the hosts' limits: each host's sandboxes can run up to its own limit at once. */
  private max(): number {
    return [...this.hosts.values()].reduce((sum, h) => sum + h.max, 0);
  }

  private live(): GuestWorker[] {
    return this.workers.filter((worker) => !worker.exited);
  }

  private spawn(): GuestWorker {
    const worker = new GuestWorker(this.script, this.module, (w, message) => this.receive(w, message), (w, reason) => this.lost(w, reason));
    worker.keepProcessAlive(this.hosts.size > 0);
    return worker;
  }

  /** Sandboxes each host runs now. */
  private runningPerHost(): Map<SandboxHost, number> {
    const counts = new Map<SandboxHost, number>();
    for (const { run } of this.runs.values()) counts.set(run.host, (counts.get(run.host) ?? 0) + 1);
    return counts;
  }

  /** Queued runs, in order, whose host is below its own limit (at most that many of each host). */
  private startable(): SandboxRun[] {
    const counts = this.runningPerHost();
    const picked: SandboxRun[] = [];
    for (const run of this.queue) {
      const running = counts.get(run.host) ?? 0;
      if (running >= (this.hosts.get(run.host)?.max ?? 0)) continue;
      counts.set(run.host, running + 1);
      picked.push(run);
    }
    return picked;
  }

  private pump(): void {
    // Workers with an instance already made first: the others are still instantiating theirs.
    const free = this.workers.filter((w) => w.ready && w.busyWith === null && !w.exited).sort((a, b) => Number(b.prepared) - Number(a.prepared));
    const startable = this.startable();
    for (const worker of free) {
      const run = startable.shift();
      if (run === undefined) return;
      this.queue.splice(this.queue.indexOf(run), 1);
      worker.busyWith = run.job.id;
      worker.prepared = false;
      worker.dispatchedAt = performance.now();
      this.runs.set(run.job.id, { run, worker, startedAt: worker.dispatchedAt });
      run.deadlineTimer = setTimeout(() => this.expire(run.job.id), run.host.deadlineMs);
      worker.send({ type: 'run', job: run.job });
    }
  }

  /** Adds workers while requests their host has room for wait and every busy worker is only waiting for I/O. */
  private grow(): void {
    clearTimeout(this.growTimer);
    if (this.queue.length === 0 || this.hosts.size === 0) return;
    const live = this.live();
    const starting = live.filter((w) => !w.ready).length;
    const running = live.filter((w) => w.busyWith !== null && !w.isBlockedFor(STALLED_MS)).length;
    const wanted = this.startable().length - starting;
    if (running === 0 && wanted > 0) {
      const room = this.max() - live.length;
      for (let i = 0; i < Math.min(wanted, room, GROWTH_BURST); i += 1) this.workers.push(this.spawn());
    }
    this.growTimer = setTimeout(() => this.grow(), GROWTH_CHECK_MS);
    this.growTimer.unref();
  }

  private retireLater(worker: GuestWorker): void {
    setTimeout(() => {
      if (worker.busyWith !== null || worker.exited || this.live().length <= this.floor()) return;
      this.workers = this.workers.filter((w) => w !== worker);
      void worker.stop();
    }, IDLE_RETIRE_MS).unref();
  }

  private receive(worker: GuestWorker, message: FromGuest): void {
    if (message.type === 'ready') {
      worker.setReady();
      return this.pump();
    }
    const current = this.runs.get(message.jobId);
    if (message.type === 'done') {
      if (current?.worker === worker) this.finish(message.jobId, message.outcome, message.message, message.stats);
      worker.busyWith = null;
      this.pump();
      if (worker.busyWith === null && this.live().length > this.floor()) this.retireLater(worker);
      return;
    }
    if (current === undefined || current.worker !== worker) return;
    if (message.type === 'unsupported') return announceUnsupported(current.run, message.name, message.note);
    handleSandboxMessage(worker, current.run, message);
  }

  private finish(jobId: number, outcome: GuestRequestStats['outcome'], message: string | null, stats: GuestRequestStats): void {
    const current = this.runs.get(jobId);
    if (current === undefined) return;
    this.runs.delete(jobId);
    const { host } = current.run;
    host.cache.sandboxEnded(jobId);
    const line = current.run.end(outcome, message);
    if (line !== null) host.log('stderr', line);
    host.onStats(stats);
  }

  private expire(jobId: number): void {
    const current = this.runs.get(jobId);
    if (current === undefined) return;
    const seconds = current.run.host.deadlineMs / 1000;
    this.finish(jobId, 'timeout', `the sandbox exceeded its ${seconds} s deadline and was stopped`, emptyStats(current.run, 'timeout', current.startedAt));
    this.replace(current.worker);
  }

  private lost(worker: GuestWorker, reason: string): void {
    for (const [jobId, current] of this.runs) {
      if (current.worker === worker) this.finish(jobId, 'host-error', reason, emptyStats(current.run, 'host-error', current.startedAt));
    }
    this.replace(worker);
  }

  private replace(worker: GuestWorker): void {
    this.workers = this.workers.filter((w) => w !== worker);
    void worker.stop();
    if (this.hosts.size > 0 && this.live().length < this.floor()) this.workers.push(this.spawn());
    this.pump();
  }
}

const pools = new Map<WebAssembly.Module, GuestPool>();

/** One pool per compiled module per process: hosts of the same module share its workers. */
export function poolFor(module: WebAssembly.Module, script: URL): GuestPool {
  let pool = pools.get(module);
  if (pool === undefined) {
    pool = new GuestPool(module, script);
    pools.set(module, pool);
  }
  return pool;
}

/**
 * A small pool of guest workers, each running one sandbox at a time; requests queue for the next
 * free worker. The pool owns the deadline: a sandbox that outlives it is terminated with its
 * worker, which is replaced, so a guest that spins or hangs never takes the host down.
 */
import type { BackendSpec } from '../../src/node/manifest';
import type { BackendTimeouts } from '../../src/node/backend-fetch';
import { sendToBackend } from './backend-request';
import type { CacheStore } from './cache-store';
import { GuestWorker } from './guest-worker';
import type { FromGuest, GuestRequestStats } from './protocol';
import { SandboxRun, emptyStats } from './sandbox-run';

export interface PoolOptions {
  module: WebAssembly.Module;
  script: URL;
  size: number;
  deadlineMs: number;
  backends: ReadonlyMap<string, BackendSpec>;
  timeouts: BackendTimeouts;
  cache: CacheStore;
  log: (stream: 'stdout' | 'stderr', line: string) => void;
  onStats: (stats: GuestRequestStats) => void;
}

export class GuestPool {
  private workers: GuestWorker[] = [];
  private queue: SandboxRun[] = [];
  private runs = new Map<number, { run: SandboxRun; worker: GuestWorker; startedAt: number }>();
  private announced = new Set<string>();
  private closed = false;

  constructor(private readonly options: PoolOptions) {
    for (let i = 0; i < options.size; i += 1) this.workers.push(this.spawn());
  }

  submit(run: SandboxRun): void {
    this.queue.push(run);
    this.pump();
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const run of this.queue) run.end('host-error', 'the host is shutting down');
    this.queue = [];
    for (const { run } of this.runs.values()) run.end('host-error', 'the host is shutting down');
    await Promise.all(this.workers.map((worker) => worker.stop()));
  }

  private spawn(): GuestWorker {
    return new GuestWorker(this.options.script, this.options.module, (worker, message) => this.receive(worker, message), (worker, reason) => this.lost(worker, reason));
  }

  private pump(): void {
    for (const worker of this.workers) {
      if (this.queue.length === 0) return;
      if (!worker.ready || worker.busyWith !== null || worker.exited) continue;
      const run = this.queue.shift() as SandboxRun;
      worker.busyWith = run.job.id;
      const startedAt = performance.now();
      this.runs.set(run.job.id, { run, worker, startedAt });
      run.deadlineTimer = setTimeout(() => this.expire(run.job.id), this.options.deadlineMs);
      worker.send({ type: 'run', job: run.job });
    }
  }

  private receive(worker: GuestWorker, message: FromGuest): void {
    if (message.type === 'ready') {
      worker.ready = true;
      return this.pump();
    }
    if (message.type === 'unsupported') return this.announce(message.name, message.note);
    const current = this.runs.get(message.jobId);
    if (current === undefined || current.worker !== worker) return;
    const { run } = current;
    switch (message.type) {
      case 'log':
        return this.options.log(message.stream, message.line);
      case 'downstream':
        return run.response.head(message.status, message.headers, message.body, message.streaming);
      case 'downstream-chunk':
        return run.response.chunk(message.chunk);
      case 'downstream-end':
        return run.response.end(message.complete);
      case 'send':
        return this.sendBackend(worker, run, message.pendingId, message.backend, message.request);
      case 'abort-stream':
        return run.abortBackend(message.streamId);
      case 'cache-lookup':
        return this.options.cache.lookup(
          { jobId: run.job.id, lookupId: message.lookupId, reply: (result) => worker.send({ type: 'cache-result', lookupId: message.lookupId, result }) },
          message.key,
          message.transactional,
        );
      case 'cache-insert':
        return this.options.cache.insert(run.job.id, message.lookupId, message.key, message.write);
      case 'cache-release':
        return this.options.cache.release(run.job.id, message.lookupId);
      case 'done':
        this.finish(message.jobId, message.outcome, message.message, message.stats);
        worker.busyWith = null;
        return this.pump();
    }
  }

  private sendBackend(worker: GuestWorker, run: SandboxRun, pendingId: number, backend: string, request: Extract<FromGuest, { type: 'send' }>['request']): void {
    const spec = this.options.backends.get(backend);
    if (spec === undefined) {
      return worker.send({ type: 'backend-error', pendingId, tag: 'destination_not_found', message: `backend ${backend} is not defined` });
    }
    const controller = new AbortController();
    run.backendRequests.set(pendingId, controller);
    const live = () => !controller.signal.aborted && !run.finished;
    sendToBackend(spec, request, this.options.timeouts, controller.signal, {
      response: (status, headers, knownLength) => live() && worker.send({ type: 'backend-response', pendingId, status, headers, knownLength }),
      chunk: (chunk) => live() && worker.send({ type: 'body-chunk', streamId: pendingId, chunk }),
      end: () => {
        if (live()) worker.send({ type: 'body-end', streamId: pendingId });
        run.backendRequests.delete(pendingId);
      },
      bodyError: (text) => live() && worker.send({ type: 'body-error', streamId: pendingId, message: text }),
      failed: (tag, text) => {
        if (live()) worker.send({ type: 'backend-error', pendingId, tag, message: text });
        run.backendRequests.delete(pendingId);
      },
    });
  }

  private finish(jobId: number, outcome: GuestRequestStats['outcome'], message: string | null, stats: GuestRequestStats): void {
    const current = this.runs.get(jobId);
    if (current === undefined) return;
    this.runs.delete(jobId);
    this.options.cache.sandboxEnded(jobId);
    const line = current.run.end(outcome, message);
    if (line !== null) this.options.log('stderr', line);
    this.options.onStats(stats);
  }

  private expire(jobId: number): void {
    const current = this.runs.get(jobId);
    if (current === undefined) return;
    const seconds = this.options.deadlineMs / 1000;
    this.finish(jobId, 'timeout', `the sandbox exceeded its ${seconds} s deadline and was stopped`, emptyStats(current.run, 'timeout', current.startedAt));
    this.replace(current.worker);
  }

  private lost(worker: GuestWorker, reason: string): void {
    if (this.closed) return;
    for (const [jobId, current] of this.runs) {
      if (current.worker === worker) this.finish(jobId, 'host-error', reason, emptyStats(current.run, 'host-error', current.startedAt));
    }
    this.replace(worker);
  }

  private replace(worker: GuestWorker): void {
    if (this.closed) return;
    this.workers = this.workers.filter((w) => w !== worker);
    void worker.stop();
    this.workers.push(this.spawn());
  }

  private announce(name: string, note: string): void {
    if (this.announced.has(name)) return;
    this.announced.add(name);
    this.options.log('stderr', `compute-host: ${name}: ${note}`);
  }
}

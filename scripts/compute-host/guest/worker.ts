/**
 * A guest worker: runs one sandbox at a time, each a fresh instance of the compiled module, as
 * Viceroy does. It never returns to its event loop; it sleeps in Atomics.wait for the next job.
 */
import { workerData } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import type { GuestRequestStats, Job, SandboxOutcome, ToGuest } from '../protocol';
import { GuestChannel } from './channel';
import { buildImports } from './imports';
import { GuestMemory } from './memory';
import { Session } from './session';
import { GuestExit, createWasi } from './wasi';

export interface GuestWorkerData {
  module: WebAssembly.Module;
  port: MessagePort;
  counter: SharedArrayBuffer;
  epoch: number;
}

const data = workerData as GuestWorkerData;
const channel = new GuestChannel(data.port, new Int32Array(data.counter), data.epoch);
let next: Job | null = null;
let current: Session | null = null;
channel.onMessage((message: ToGuest) => {
  if (message.type === 'run') next = message.job;
  else current?.receive(message);
});
channel.post({ type: 'ready' });

for (;;) {
  channel.waitUntil(() => next !== null, null, true);
  const job = next as Job | null;
  next = null;
  if (job !== null) runSandbox(job);
}

function runSandbox(job: Job): void {
  const memory = new GuestMemory();
  const session = new Session(job, memory, channel, (name, note) => channel.post({ type: 'unsupported', jobId: job.id, name, note }));
  current = session;
  const started = performance.now();
  let guestStarted = started;
  let blockedAtStart = channel.blockedMs;
  const guestMs = () => performance.now() - guestStarted - (channel.blockedMs - blockedAtStart);
  const wasi = createWasi({
    args: ['main.wasm'],
    env: job.env,
    clockOffsetMs: job.clockOffsetMs,
    memory,
    channel,
    writeLine: (stream, line) => session.log(stream, line),
  });
  let outcome: SandboxOutcome = 'ok';
  let message: string | null = null;
  let instantiateMs = 0;
  let finishedAt = started;
  let guestTotal = 0;
  try {
    const instance = new WebAssembly.Instance(data.module, buildImports(data.module, session, wasi, guestMs));
    instantiateMs = performance.now() - started;
    memory.attach(instance.exports.memory as WebAssembly.Memory);
    guestStarted = performance.now();
    blockedAtStart = channel.blockedMs;
    (instance.exports._start as () => void)();
  } catch (error) {
    [outcome, message] = classifyEnd(error);
  } finally {
    finishedAt = performance.now();
    guestTotal = guestStarted === started ? 0 : guestMs();
    wasi.flush();
  }
  const url = URL.canParse(job.request.url) ? new URL(job.request.url) : null;
  const stats: GuestRequestStats = {
    jobId: job.id,
    method: job.request.method,
    path: url?.pathname ?? job.request.url,
    instantiateMs,
    guestMs: guestTotal,
    blockedMs: channel.blockedMs - blockedAtStart,
    wallMs: finishedAt - started,
    memoryBytes: memory.byteLength(),
    backendRequests: session.backendRequests,
    outcome,
  };
  current = null;
  channel.post({ type: 'done', jobId: job.id, outcome, message, stats });
}

function classifyEnd(error: unknown): [SandboxOutcome, string | null] {
  if (error instanceof GuestExit) return error.code === 0 ? ['ok', null] : ['exit', error.message];
  if (error instanceof WebAssembly.RuntimeError) return ['trap', `guest trapped: ${error.message}`];
  if (error instanceof WebAssembly.LinkError || error instanceof WebAssembly.CompileError) {
    return ['host-error', `module could not be instantiated: ${error.message}`];
  }
  return ['host-error', `sandbox failed: ${error instanceof Error ? error.message : String(error)}`];
}

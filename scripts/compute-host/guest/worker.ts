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
import type { Wasi } from './wasi';

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

/**
 * The next sandbox, instantiated while the worker waits for a request, so a request does not wait
 * for instantiation when the worker was idle. Every instance still serves exactly one request.
 */
interface PreparedSandbox {
  session: Session;
  memory: GuestMemory;
  wasi: Wasi;
  instance: WebAssembly.Instance | null;
  failure: unknown;
  instantiateMs: number;
  timing: { guestStarted: number; blockedAtStart: number };
}

let prepared = prepareSandbox();
channel.post({ type: 'ready' });
for (;;) {
  channel.waitUntil(() => next !== null, null, 'idle');
  const job = next as Job | null;
  next = null;
  if (job === null) continue;
  runSandbox(job, prepared);
  prepared = prepareSandbox();
  // Tells the pool this worker has an instance ready again, so it is preferred for the next request.
  channel.post({ type: 'ready' });
}

function prepareSandbox(): PreparedSandbox {
  const memory = new GuestMemory();
  const session: Session = new Session(memory, channel, (name, note) => channel.post({ type: 'unsupported', jobId: session.job.id, name, note }));
  const timing = { guestStarted: 0, blockedAtStart: 0 };
  const guestMs = () => (timing.guestStarted === 0 ? 0 : performance.now() - timing.guestStarted - (channel.blockedMs - timing.blockedAtStart));
  const wasi = createWasi({
    args: ['main.wasm'],
    request: () => session.job,
    memory,
    channel,
    writeLine: (stream, line) => session.log(stream, line),
  });
  const started = performance.now();
  try {
    const instance = new WebAssembly.Instance(data.module, buildImports(data.module, session, wasi, guestMs));
    memory.attach(instance.exports.memory as WebAssembly.Memory);
    return { session, memory, wasi, instance, failure: null, instantiateMs: performance.now() - started, timing };
  } catch (error) {
    return { session, memory, wasi, instance: null, failure: error, instantiateMs: performance.now() - started, timing };
  }
}

function runSandbox(job: Job, sandbox: PreparedSandbox): void {
  const { session, memory, wasi, timing } = sandbox;
  session.job = job;
  current = session;
  const started = performance.now();
  timing.guestStarted = started;
  timing.blockedAtStart = channel.blockedMs;
  let outcome: SandboxOutcome = 'ok';
  let message: string | null = null;
  try {
    if (sandbox.instance === null) throw sandbox.failure;
    (sandbox.instance.exports._start as () => void)();
  } catch (error) {
    [outcome, message] = classifyEnd(error);
  }
  const finishedAt = performance.now();
  const blockedMs = channel.blockedMs - timing.blockedAtStart;
  wasi.flush();
  const url = URL.canParse(job.request.url) ? new URL(job.request.url) : null;
  const stats: GuestRequestStats = {
    jobId: job.id,
    method: job.request.method,
    path: url?.pathname ?? job.request.url,
    instantiateMs: sandbox.instantiateMs,
    guestMs: finishedAt - started - blockedMs,
    blockedMs,
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

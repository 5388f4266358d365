/** The main thread's answers to what a running sandbox asks for: backend requests, the cache, the client response, logs. */
import { sendToBackend } from './backend-request';
import type { GuestWorker } from './guest-worker';
import { shieldTimeouts } from '../../src/node/backend-fetch';
import type { BackendTimeouts } from '../../src/node/backend-fetch';
import type { BackendSpec } from '../../src/node/manifest';
import type { DynamicBackend, FromGuest, OutgoingRequest } from './protocol';
import type { SandboxRun } from './sandbox-run';

export type SandboxMessage = Exclude<FromGuest, { type: 'ready' } | { type: 'unsupported' } | { type: 'done' }>;

export function handleSandboxMessage(worker: GuestWorker, run: SandboxRun, message: SandboxMessage): void {
  const { host } = run;
  switch (message.type) {
    case 'log':
      return host.log(message.stream, message.line);
    case 'downstream':
      return run.response.head(message.status, message.headers, message.body, message.streaming);
    case 'downstream-chunk':
      return run.response.chunk(message.chunk);
    case 'downstream-end':
      return run.response.end(message.complete);
    case 'send':
      return sendBackend(worker, run, message.pendingId, message.backend, message.dynamic, message.request);
    case 'abort-stream':
      return run.abortBackend(message.streamId);
    case 'cache-lookup':
      return host.cache.lookup(
        { jobId: run.job.id, lookupId: message.lookupId, reply: (result) => worker.send({ type: 'cache-result', lookupId: message.lookupId, result }) },
        message.key,
        message.transactional,
      );
    case 'cache-insert':
      return host.cache.insert(run.job.id, message.lookupId, message.key, message.write);
    case 'cache-release':
      return host.cache.release(run.job.id, message.lookupId);
    case 'cache-purge':
      host.cache.purge(message.surrogateKey);
      return;
  }
}

export function announceUnsupported(run: SandboxRun, name: string, note: string): void {
  if (run.host.announced.has(name)) return;
  run.host.announced.add(name);
  run.host.log('stderr', `compute-host: ${name}: ${note}`);
}

function sendBackend(worker: GuestWorker, run: SandboxRun, pendingId: number, backend: string, dynamic: DynamicBackend | null, request: OutgoingRequest): void {
  const target = dynamic === null ? staticTarget(run, backend) : dynamicTarget(run, dynamic);
  if (typeof target === 'string') return worker.send({ type: 'backend-error', pendingId, tag: 'destination_not_found', message: target });
  const { spec, timeouts } = target;
  const controller = new AbortController();
  run.backendRequests.set(pendingId, controller);
  const live = () => !controller.signal.aborted && !run.finished;
  sendToBackend(spec, request, timeouts, controller.signal, {
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

type Target = { spec: BackendSpec; timeouts: BackendTimeouts } | string;

function staticTarget(run: SandboxRun, backend: string): Target {
  const spec = run.host.backends.get(backend);
  return spec === undefined ? `backend ${backend} is not defined` : { spec, timeouts: run.host.timeouts };
}

/**
 * A shield backend as Viceroy builds it: its URL, no override host, cert host or SNI, and the
 * first-byte and between-bytes timeouts only when the guest set them (js-compute 3.46 never
 * does). The connection timeout is the host's, so a shield that is down fails fast.
 */
function dynamicTarget(run: SandboxRun, dynamic: DynamicBackend): Target {
  const url = new URL(dynamic.url);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `shield backend ${dynamic.url} is not an http or https URL (see local_server.shielding_sites)`;
  return {
    spec: { name: dynamic.name, url, overrideHost: null, certHost: null, useSni: false },
    timeouts: shieldTimeouts(run.host.timeouts.connectMs, dynamic.firstByteTimeoutMs, dynamic.betweenBytesTimeoutMs),
  };
}

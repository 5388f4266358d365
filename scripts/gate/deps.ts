/** The gate's real collaborators: the Fastly API at --api-base, canary reads over the network, timers. */
import type { GateOptions } from './args';
import { createFastlyApi } from './fastly-api';
import { readCanary } from './readings';
import type { GateDeps } from './run-gate';

export function liveGateDeps(options: Pick<GateOptions, 'token' | 'apiBase'>, say: (line: string) => void, signal?: AbortSignal): GateDeps {
  return {
    api: createFastlyApi({ token: options.token, base: options.apiBase }),
    read: readCanary,
    sleep: (ms) => interruptibleSleep(ms, signal),
    say,
    ...(signal ? { signal } : {}),
  };
}

/** A wait that ends early when the signal fires, so Ctrl-C during --settle is not a 30 s wait. */
function interruptibleSleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}

/** The gate's real collaborators: the Fastly API at --api-base, canary reads over the network, timers. */
import { sleep } from '../statuspage/sleep';
import type { GateOptions } from './args';
import { createFastlyApi } from './fastly-api';
import { readCanary } from './readings';
import type { GateDeps } from './run-gate';

export function liveGateDeps(options: Pick<GateOptions, 'token' | 'apiBase'>, say: (line: string) => void, signal?: AbortSignal): GateDeps {
  return {
    api: createFastlyApi({ token: options.token, base: options.apiBase }),
    read: readCanary,
    // Ends early when the signal fires, so Ctrl-C during --settle is not a 30 s wait.
    sleep: (ms) => sleep(ms, signal),
    say,
    ...(signal ? { signal } : {}),
  };
}

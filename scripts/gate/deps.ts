/** The gate's real collaborators: the Fastly API at --api-base, canary reads over the network, timers. */
import type { GateOptions } from './args';
import { createFastlyApi } from './fastly-api';
import { readCanary } from './readings';
import type { GateDeps } from './run-gate';

export function liveGateDeps(options: Pick<GateOptions, 'token' | 'apiBase'>, say: (line: string) => void): GateDeps {
  return {
    api: createFastlyApi({ token: options.token, base: options.apiBase }),
    read: readCanary,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    say,
  };
}

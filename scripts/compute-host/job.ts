/** What a sandbox is given for one request: the request, its environment and the manifest's stores. */
import type { BackendTimeouts } from '../../src/node/backend-fetch';
import { readManifestSecret } from '../../src/node/manifest';
import type { LocalManifest } from '../../src/node/manifest';
import { randomBytes } from 'node:crypto';
import type { BackendInfo, DownstreamRequest, Job } from './protocol';

/** Compute's per-request limits (docs.fastly.com/products/compute-resource-limits). */
export const COMPUTE_LIMITS = { backendRequests: 32, configLookups: 32 };

export interface JobInput {
  id: number;
  request: DownstreamRequest;
  manifest: LocalManifest;
  env: Record<string, string | undefined>;
  now: () => number;
  timeouts: BackendTimeouts;
  hostcallFaults: Record<string, number>;
}

export function buildJob(input: JobInput): Job {
  const { manifest, env } = input;
  const traceId = randomBytes(16).toString('hex');
  return {
    id: input.id,
    request: input.request,
    env: guestEnvironment(env, traceId),
    clockOffsetMs: input.now() - Date.now(),
    hostcallFaults: input.hostcallFaults,
    limits: COMPUTE_LIMITS,
    traceId,
    backends: [...manifest.backends.values()].map((spec): BackendInfo => ({
      name: spec.name,
      host: spec.url.hostname,
      port: Number(spec.url.port) || (spec.url.protocol === 'https:' ? 443 : 80),
      ssl: spec.url.protocol === 'https:',
      overrideHost: spec.overrideHost,
      connectTimeoutMs: input.timeouts.connectMs,
      firstByteTimeoutMs: input.timeouts.firstByteMs,
      betweenBytesTimeoutMs: input.timeouts.betweenBytesMs,
    })),
    timeouts: input.timeouts,
    shieldingSites: manifest.shieldingSites ?? {},
    configStores: Object.fromEntries([...manifest.configStores].map(([name, entries]) => [name, Object.fromEntries(entries)])),
    // Like Viceroy, an `env` secret is read when the request runs, so a changed variable is seen.
    secretStores: Object.fromEntries(
      [...manifest.secretStores].map(([store, entries]) => [
        store,
        Object.fromEntries(
          [...entries.keys()].flatMap((name) => {
            const value = readManifestSecret(manifest.secretStores, store, name, env);
            return value === null ? [] : [[name, value]];
          }),
        ),
      ]),
    ),
  };
}

/**
 * Viceroy's environment (lib/src/linking.rs), except FASTLY_POP, which defaults to "local" like
 * the Node host, and FASTLY_SERVICE_VERSION, which is only set when given, so both local runtimes
 * report the release as "local". Given FASTLY_* variables win.
 */
function guestEnvironment(env: Record<string, string | undefined>, traceId: string): Record<string, string> {
  const guest: Record<string, string> = {
    FASTLY_CACHE_GENERATION: '0',
    FASTLY_CUSTOMER_ID: '0000000000000000000000',
    FASTLY_POP: 'local',
    FASTLY_REGION: 'Somewhere',
    FASTLY_SERVICE_ID: '0000000000000000000000',
    FASTLY_HOSTNAME: 'localhost',
    FASTLY_IS_STAGING: '0',
    FASTLY_TRACE_ID: traceId,
  };
  for (const [key, value] of Object.entries(env)) {
    if (key.startsWith('FASTLY_') && key !== 'FASTLY_TRACE_ID' && value !== undefined && value !== '') guest[key] = value;
  }
  return guest;
}

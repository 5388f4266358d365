/**
 * A small local stack for the hardening tests: the GCS emulator with the canary object, and the
 * canary on the runtime asked for (bin/main.wasm on the local Compute host, or the app on the Node
 * host) configured by a manifest text, the same way `npm run serve` is. Every log line of the
 * canary is kept and secret-scanned.
 */
import { parseManifest } from '../../../src/node/manifest';
import type { BackendTimeouts } from '../../../src/node/backend-fetch';
import { startCanaryServer } from '../../../scripts/stack/canary';
import type { CanaryServer } from '../../../scripts/stack/canary';
import type { Runtime } from '../../../scripts/stack/runtime';
import { startEmulator } from '../../../scripts/emulator/index';
import type { Emulator, LogEntry } from '../../../scripts/emulator/index';
import { canaryBody } from '../../support/fake-platform';
import { noteSightings, registerSecret } from '../../support/secret-scan';

export const STACK_BUCKET = 'edge-canary-hardening';
export const STACK_OBJECT = 'edge-canary/canary.json';
export const STACK_HOST = 'storage.googleapis.com';
export const STACK_ACCESS_ID = 'GOOG1EHARDENINGTESTKEY00000000000000000000000000000000000000';
export const STACK_SECRET = 'aGFyZGVuaW5nLXRlc3Qtc2VjcmV0LWVkZ2UtY2FuYXJ5';
registerSecret(STACK_ACCESS_ID, { kind: 'access-id', label: 'STACK_ACCESS_ID (test/hardening/support/canary-stack.ts)' });
registerSecret(STACK_SECRET, { label: 'STACK_SECRET (test/hardening/support/canary-stack.ts)' });

export interface CanaryStackOptions {
  /** Config store entries on top of bucket, object and signing; a null value removes the key, null the store. */
  config?: Record<string, string | null> | null;
  /** Secret store entries instead of the stack's key; null: no secret store at all. */
  secrets?: Record<string, string> | null;
  /** `[local_server.backends.NAME]` urls on top of gcs (the emulator); a null url removes the backend. */
  backends?: Record<string, string | null>;
  /** Passed to the canary's host on either runtime. */
  timeouts?: Partial<BackendTimeouts>;
  now?: () => number;
  /** An emulator set up by the caller (buckets, keys, objects), used instead of the stack's own; the stack closes it. */
  emulator?: Emulator;
}

export interface CanaryStack {
  emulator: Emulator;
  canary: CanaryServer;
  logs: Record<string, unknown>[];
  /** Every request the emulator saw (nothing but the canary talks to it here), in order. */
  originRequests(): LogEntry[];
  close(): Promise<void>;
}

export function stackManifest(emulatorUrl: string, options: CanaryStackOptions = {}): string {
  const lines = ['[local_server]'];
  const backends = { gcs: emulatorUrl, ...options.backends };
  for (const [name, url] of Object.entries(backends)) {
    if (url !== null) lines.push(`[local_server.backends.${name}]`, `url = ${JSON.stringify(url)}`);
  }
  if (options.config !== null) {
    lines.push('[local_server.config_stores.canary_config]', 'format = "inline-toml"', '[local_server.config_stores.canary_config.contents]');
    const config = { bucket: STACK_BUCKET, object: STACK_OBJECT, signing: 'goog4', ...options.config };
    for (const [key, value] of Object.entries(config)) {
      if (value !== null) lines.push(`${JSON.stringify(key)} = ${JSON.stringify(value)}`);
    }
  }
  if (options.secrets !== null) {
    const secrets = options.secrets ?? { hmac_access_id: STACK_ACCESS_ID, hmac_secret: STACK_SECRET };
    // An empty array is still a (empty) secret store; an absent key is no store at all.
    if (Object.keys(secrets).length === 0) lines.push('[local_server.secret_stores]', 'canary_secrets = []');
    for (const [key, value] of Object.entries(secrets)) {
      lines.push('[[local_server.secret_stores.canary_secrets]]', `key = ${JSON.stringify(key)}`, `data = ${JSON.stringify(value)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export async function startCanaryStack(runtime: Runtime, options: CanaryStackOptions = {}): Promise<CanaryStack> {
  const emulator = options.emulator ?? await startEmulator({ port: 0, buckets: [STACK_BUCKET], hmacKeys: [{ accessId: STACK_ACCESS_ID, secret: STACK_SECRET }] });
  if (!options.emulator) emulator.putObject(STACK_BUCKET, STACK_OBJECT, canaryBody(new Date()), { contentType: 'application/json', cacheControl: 'no-store, max-age=0' });
  const manifestText = stackManifest(emulator.url, options);
  const logs: Record<string, unknown>[] = [];
  const canary = await startCanaryServer({
    manifest: parseManifest(manifestText, { file: 'hardening.toml', dir: process.cwd() }),
    runtime,
    host: '127.0.0.1',
    port: 0,
    closeGraceMs: 200,
    platform: {
      log: (fields) => {
        logs.push(fields);
        noteSightings(JSON.stringify(fields), 'canary log line');
      },
      ...(options.timeouts ? { timeouts: options.timeouts } : {}),
      ...(options.now ? { now: options.now } : {}),
      env: {},
    },
  }).catch(async (error: unknown) => {
    await emulator.close();
    throw error;
  });
  return {
    emulator,
    canary,
    logs,
    originRequests: () => emulator.requestLog(),
    close: async () => {
      await canary.close();
      await emulator.close();
    },
  };
}

/**
 * Runs a few deep checks on a throwaway stack, for suites whose first case measures time: on the
 * wasm a fresh process is still compiling the hot guest code (Fastly compiles ahead of time, before
 * any request), which would count against the first case's bound. Harmless on the Node host.
 */
export async function warmUpRuntime(runtime: Runtime, rounds = 3): Promise<void> {
  const stack = await startCanaryStack(runtime, { config: { result_ttl_ms: '0' } });
  try {
    for (let round = 0; round < rounds; round++) {
      await Promise.all(Array.from({ length: 5 }, async () => (await fetch(`${stack.canary.url}/health`)).arrayBuffer()));
    }
  } finally {
    await stack.close();
  }
}

/** A Platform made of plain values, for driving the real app and core without any runtime. */
import { crc32c } from '../../src/core/crc32c';
import type { Abandonment } from '../../src/core/abandon';
import { createPopNotes } from '../../src/node/notes';
import { StoreMissingError, type BackendName, type MemoResult, type Platform } from '../../src/core/types';

export const TEST_ACCESS_ID = 'GOOG1ETESTACCESSID0123456789ABCDEFWXYZ';
export const TEST_SECRET = 'dGVzdC1zZWNyZXQtZm9yLWVkZ2UtY2FuYXJ5LTAwMDA=';

/** The backend; `abandonment` fires when the core gives up on this request (the deadline won). */
export type Origin = (request: Request, backend: BackendName, abandonment?: Abandonment) => Response | Promise<Response>;

export interface FakePlatformOptions {
  origin: Origin;
  config?: Record<string, string> | null;
  secrets?: Record<string, string> | null;
  backends?: BackendName[];
  now?: () => number;
  /** Purges of notes land this many ms late, as on Fastly (see createPopNotes). */
  notePurgeDelayMs?: number;
  /** The memo's cache is unavailable (SimpleCache failing): as on Fastly, `uncoalesced ?? compute` runs unshared. */
  memoFails?: boolean;
}

export interface FakePlatform extends Platform {
  requests: Request[];
  logs: Record<string, unknown>[];
}

export function fakePlatform(options: FakePlatformOptions): FakePlatform {
  const config = options.config === undefined ? baseConfig() : options.config;
  const secrets = options.secrets === undefined ? { hmac_access_id: TEST_ACCESS_ID, hmac_secret: TEST_SECRET } : options.secrets;
  const memoStore = new Map<string, { expires: number; value: Promise<string> }>();
  const now = options.now ?? (() => Date.now());
  const platform: FakePlatform = {
    requests: [],
    logs: [],
    async fetchBackend(backend, request, abandonment) {
      platform.requests.push(request.clone());
      return options.origin(request, backend, abandonment);
    },
    hasBackend: (backend) => (options.backends ?? ['gcs', 'edge']).includes(backend),
    configStore: () => (config === null ? null : { get: (k) => config[k] ?? null, keys: () => Object.keys(config) }),
    async readSecret(name) {
      if (secrets === null) throw new StoreMissingError('canary_secrets');
      return secrets[name] ?? null;
    },
    async memo<T>(key: string, ttlMs: number, compute: () => Promise<T>, encode: (v: T) => string, decode: (s: string) => T, uncoalesced?: () => Promise<T>): Promise<MemoResult<T>> {
      if (options.memoFails && ttlMs > 0) return { value: await (uncoalesced ?? compute)(), shared: false };
      const hit = memoStore.get(key);
      if (ttlMs > 0 && hit && hit.expires > now()) return { value: decode(await hit.value), shared: true };
      const value = compute();
      if (ttlMs > 0) memoStore.set(key, { expires: now() + ttlMs, value: value.then(encode) });
      return { value: await value, shared: false };
    },
    ...createPopNotes(now, { purgeDelayMs: options.notePurgeDelayMs }),
    now,
    log: (fields) => void platform.logs.push(fields),
    pop: () => 'TST',
    releaseId: () => '7',
    shield: () => null,
    fetchShield: async (name) => {
      throw new Error(`fake platform: no shield ${name}`);
    },
  };
  return platform;
}

export function baseConfig(overrides: Record<string, string> = {}): Record<string, string> {
  return { bucket: 'pkg-files', object: 'edge-canary/canary.json', result_ttl_ms: '0', deadline_ms: '2000', ...overrides };
}

export function canaryBody(writtenAt: Date, sequence = 42): string {
  return JSON.stringify({ kind: 'edge-canary', version: 1, written_at: writtenAt.toISOString(), sequence, writer: 'test' });
}

/** `x-goog-hash` value for a body, as GCS sends it. */
export function googHash(body: string): string {
  const crc = crc32c(new TextEncoder().encode(body));
  const bytes = [crc >>> 24, (crc >>> 16) & 0xff, (crc >>> 8) & 0xff, crc & 0xff];
  return `crc32c=${btoa(String.fromCharCode(...bytes))}`;
}

export function canaryResponse(body: string, headers: Record<string, string> = {}): Response {
  return new Response(body, { status: 200, headers: { 'content-type': 'application/json', 'x-goog-hash': googHash(body), ...headers } });
}

export function gcsError(status: number, code: string): Response {
  const xml = `<?xml version='1.0' encoding='UTF-8'?><Error><Code>${code}</Code><Message>m</Message>` +
    `<StringToSign>GOOG4-HMAC-SHA256\n20261126T000000Z\nsecret-bearing-canonical-request</StringToSign></Error>`;
  return new Response(xml, { status, headers: { 'content-type': 'application/xml' } });
}

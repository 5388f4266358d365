/** The Platform on Fastly Compute: named backends with the cache bypassed, the stores, SimpleCache coalescing. */
import { Backend } from 'fastly:backend';
import { SimpleCache } from 'fastly:cache';
import { CacheOverride } from 'fastly:cache-override';
import { ConfigStore } from 'fastly:config-store';
import { env } from 'fastly:env';
import { SecretStore } from 'fastly:secret-store';
import { Shield } from 'fastly:shielding';
import {
  BackendError, CONFIG_STORE, SECRET_STORE, StoreMissingError, StoreReadError,
  type BackendName, type KeyValueSource, type MemoResult, type Platform,
} from '../core/types';

/** DESIGN.md §5: the between-bytes timeout the backends are set up with, when Compute does not say. */
const DEFAULT_BETWEEN_BYTES_MS = 5000;

export function createFastlyPlatform(): Platform {
  const log = (fields: Record<string, unknown>) => console.log(JSON.stringify({ time: new Date().toISOString(), ...fields }));
  return {
    // No abandonment parameter: js-compute's fetch takes no AbortSignal, so an abandoned request
    // cannot be aborted here; the core cancels its body instead (src/core/abandon.ts).
    async fetchBackend(backend: BackendName, request: Request): Promise<Response> {
      let response: Response;
      try {
        response = await fetch(request, { backend, cacheOverride: new CacheOverride('pass') });
      } catch (error) {
        throw transportFailure(error, /timeout|timed out/i.test(messageOf(error)) ? 'timeout' : 'connect_failed');
      }
      return withClassifiedBody(response, backend);
    },
    hasBackend: (backend) => Backend.exists(backend),
    configStore(): KeyValueSource | null {
      let store: ConfigStore;
      try {
        store = new ConfigStore(CONFIG_STORE);
      } catch {
        return null;
      }
      return {
        get(key) {
          try {
            return store.get(key);
          } catch (error) {
            throw new StoreReadError(`config store ${CONFIG_STORE}`, `reading "${key}" failed (${messageOf(error)})`, { cause: error });
          }
        },
      };
    },
    async readSecret(name: string): Promise<string | null> {
      let store: SecretStore;
      try {
        store = new SecretStore(SECRET_STORE);
      } catch {
        throw new StoreMissingError(SECRET_STORE);
      }
      try {
        const entry = await store.get(name);
        return entry ? entry.plaintext() : null;
      } catch (error) {
        throw new StoreReadError(`secret store ${SECRET_STORE}`, `reading "${name}" failed (${messageOf(error)})`, { cause: error });
      }
    },
    async memo<T>(key: string, ttlMs: number, compute: () => Promise<T>, encode: (v: T) => string, decode: (s: string) => T, uncoalesced?: () => Promise<T>): Promise<MemoResult<T>> {
      if (ttlMs <= 0) return { value: await compute(), shared: false };
      let computed: { value: T } | null = null;
      let computeFailure: { error: unknown } | null = null;
      let text: string;
      try {
        const entry = await SimpleCache.getOrSet(key, async () => {
          try {
            computed = { value: await compute() };
          } catch (error) {
            computeFailure = { error };
            throw error;
          }
          // The config allows whole seconds only: SimpleCache truncates a fractional ttl.
          return { value: encode(computed.value), ttl: ttlMs / 1000 };
        });
        if (computed !== null) return { value: (computed as { value: T }).value, shared: false };
        text = await entry.text();
      } catch (error) {
        if (computeFailure !== null) throw (computeFailure as { error: unknown }).error;
        if (computed !== null) return { value: (computed as { value: T }).value, shared: false };
        // A cache failure must not take the check down: run it unshared (or what the caller gives
        // for that case), and say so.
        log({ msg: 'SimpleCache failed; checking without coalescing', detail: messageOf(error).slice(0, 300) });
        return { value: await (uncoalesced ?? compute)(), shared: false };
      }
      return { value: decode(text), shared: true };
    },
    async noteOnce(key: string, value: string, ttlSeconds: number): Promise<string> {
      const entry = await SimpleCache.getOrSet(key, async () => ({ value, ttl: ttlSeconds }));
      return entry.text();
    },
    async readNote(key: string): Promise<string | null> {
      const entry = SimpleCache.get(key);
      return entry === null ? null : entry.text();
    },
    async forgetNote(key: string): Promise<void> {
      // Only this POP's copy: each POP keeps its own account of what it saw.
      SimpleCache.purge(key, { scope: 'pop' });
    },
    now: () => Date.now(),
    log,
    pop: () => env('FASTLY_POP') || 'local',
    releaseId: () => env('FASTLY_SERVICE_VERSION') || 'local',
    shield(name: string) {
      // The constructor throws for a code Fastly does not know: that is "no such shield", not a crash.
      const shield = shieldNamed(name);
      return shield === null ? null : { runningOn: shield.runningOn() };
    },
    // No abandonment parameter, as for fetchBackend: the core cancels the body instead.
    async fetchShield(name: string, request: Request): Promise<Response> {
      const shield = shieldNamed(name);
      if (shield === null) throw new BackendError('connect_failed', `shield ${name} is not a shield Fastly knows`);
      let response: Response;
      let backend: Backend;
      try {
        backend = shield.encryptedBackend();
        response = await fetch(request, { backend, cacheOverride: new CacheOverride('pass') });
      } catch (error) {
        throw transportFailure(error, /timeout|timed out/i.test(messageOf(error)) ? 'timeout' : 'connect_failed');
      }
      return withClassifiedBody(response, backend.name);
    },
  };
}

function shieldNamed(name: string): Shield | null {
  try {
    return new Shield(name);
  } catch {
    return null;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function transportFailure(error: unknown, kind: 'timeout' | 'connect_failed'): BackendError {
  return error instanceof BackendError ? error : new BackendError(kind, messageOf(error), { cause: error });
}

/**
 * Compute reports a failed body read without saying why ("Generic error value"). A connection that
 * breaks fails the read at once; a read that fails after the body has been silent for at least
 * half the backend's between-bytes timeout is that timeout (as the Node host says). Half, because
 * the guest sees bytes later than the host's timer does.
 */
function withClassifiedBody(response: Response, backend: BackendName): Response {
  const source = response.body;
  if (source === null) return response;
  const reader = source.getReader();
  let lastByteAt = Date.now();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) return controller.close();
        lastByteAt = Date.now();
        controller.enqueue(value);
      } catch (error) {
        const silentMs = Date.now() - lastByteAt;
        const stalled = /timeout|timed out/i.test(messageOf(error)) || silentMs >= betweenBytesTimeout(backend) / 2;
        controller.error(transportFailure(error, stalled ? 'timeout' : 'connect_failed'));
      }
    },
    cancel: (reason) => reader.cancel(reason),
  });
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}

function betweenBytesTimeout(backend: BackendName): number {
  try {
    return Backend.fromName(backend).betweenBytesTimeout ?? DEFAULT_BETWEEN_BYTES_MS;
  } catch {
    return DEFAULT_BETWEEN_BYTES_MS;
  }
}

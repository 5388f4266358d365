/** The Platform on Fastly Compute: named backends with the cache bypassed, the stores, SimpleCache coalescing. */
import { Backend } from 'fastly:backend';
import { SimpleCache } from 'fastly:cache';
import { CacheOverride } from 'fastly:cache-override';
import { ConfigStore } from 'fastly:config-store';
import { env } from 'fastly:env';
import { SecretStore } from 'fastly:secret-store';
import {
  BackendError, CONFIG_STORE, SECRET_STORE, StoreMissingError,
  type BackendName, type KeyValueSource, type MemoResult, type Platform,
} from '../core/types';

export function createFastlyPlatform(): Platform {
  return {
    // No abandonment parameter: js-compute's fetch takes no AbortSignal, so an abandoned request
    // cannot be aborted here; the core cancels its body instead (src/core/abandon.ts).
    async fetchBackend(backend: BackendName, request: Request): Promise<Response> {
      try {
        return await fetch(request, { backend, cacheOverride: new CacheOverride('pass') });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        const kind = /timeout|timed out/i.test(message) ? 'timeout' : 'connect_failed';
        throw new BackendError(kind, message, { cause: error });
      }
    },
    hasBackend: (backend) => Backend.exists(backend),
    configStore(): KeyValueSource | null {
      let store: ConfigStore;
      try {
        store = new ConfigStore(CONFIG_STORE);
      } catch {
        return null;
      }
      return { get: (key) => store.get(key) };
    },
    async readSecret(name: string): Promise<string | null> {
      let store: SecretStore;
      try {
        store = new SecretStore(SECRET_STORE);
      } catch {
        throw new StoreMissingError(SECRET_STORE);
      }
      const entry = await store.get(name);
      return entry ? entry.plaintext() : null;
    },
    async memo<T>(key: string, ttlMs: number, compute: () => Promise<T>, encode: (v: T) => string, decode: (s: string) => T): Promise<MemoResult<T>> {
      if (ttlMs <= 0) return { value: await compute(), shared: false };
      let computed: T | undefined;
      const entry = await SimpleCache.getOrSet(key, async () => {
        computed = await compute();
        return { value: encode(computed), ttl: ttlMs / 1000 };
      });
      if (computed !== undefined) return { value: computed, shared: false };
      return { value: decode(await entry.text()), shared: true };
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
    log(fields) {
      console.log(JSON.stringify({ time: new Date().toISOString(), ...fields }));
    },
    pop: () => env('FASTLY_POP') || 'local',
    releaseId: () => env('FASTLY_SERVICE_VERSION') || 'local',
  };
}

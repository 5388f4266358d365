/**
 * Single-flight memo, the Node counterpart of SimpleCache.getOrSet: callers with the same key
 * share one computation while it runs and its result for ttlMs after. Values pass through
 * encode/decode like they would through the Fastly cache, so a value that does not survive
 * serialisation fails here too, not only in production.
 */

import type { MemoResult, Platform } from '../core/types';

export interface MemoOptions {
  now?: () => number;
  /** Most keys kept at once; expired results are evicted first, then the oldest. */
  maxEntries?: number;
}

interface Entry {
  encoded: Promise<string>;
  /** Null while the computation runs. */
  expiresAt: number | null;
}

export function createSingleFlightMemo(options: MemoOptions = {}): Platform['memo'] {
  const now = options.now ?? Date.now;
  const maxEntries = options.maxEntries ?? 1000;
  const entries = new Map<string, Entry>();

  const isLive = (entry: Entry) => entry.expiresAt === null || now() < entry.expiresAt;

  const makeRoom = () => {
    for (const [key, entry] of entries) {
      if (!isLive(entry)) entries.delete(key);
    }
    // Everything is live: drop the oldest; its waiters still get their result, later callers recompute.
    for (const key of entries.keys()) {
      if (entries.size < maxEntries) break;
      entries.delete(key);
    }
  };

  return async function memo<T>(
    key: string,
    ttlMs: number,
    compute: () => Promise<T>,
    encode: (value: T) => string,
    decode: (text: string) => T,
  ): Promise<MemoResult<T>> {
    if (ttlMs <= 0) return { value: await compute(), shared: false };

    const existing = entries.get(key);
    if (existing !== undefined && isLive(existing)) {
      return { value: decode(await existing.encoded), shared: true };
    }
    if (existing !== undefined) entries.delete(key);
    if (entries.size >= maxEntries) makeRoom();

    const entry: Entry = { encoded: compute().then(encode), expiresAt: null };
    entries.set(key, entry);
    try {
      const encoded = await entry.encoded;
      entry.expiresAt = now() + ttlMs;
      return { value: decode(encoded), shared: false };
    } catch (error) {
      // A failure is shared with whoever waited for it, but the next caller tries again.
      if (entries.get(key) === entry) entries.delete(key);
      throw error;
    }
  };
}

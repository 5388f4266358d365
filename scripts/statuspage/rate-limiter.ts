import { sleep as defaultSleep } from './sleep';

/** Statuspage allows one API request per second per key. */
export const STATUSPAGE_MIN_INTERVAL_MS = 1000;

export interface RateLimiter {
  /** Resolves when the caller may send its next request; callers are served in call order. */
  acquire(): Promise<void>;
}

export interface RateLimiterClock {
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Spaces request starts at least intervalMs apart. The slot is reserved synchronously, so
 * concurrent callers queue up instead of racing for the same slot.
 */
export function createRateLimiter(intervalMs: number, clock: RateLimiterClock = {}): RateLimiter {
  const now = clock.now ?? Date.now;
  const sleep = clock.sleep ?? defaultSleep;
  let nextFreeAt = Number.NEGATIVE_INFINITY;
  return {
    async acquire(): Promise<void> {
      const current = now();
      const slot = Math.max(current, nextFreeAt);
      nextFreeAt = slot + intervalMs;
      if (slot > current) await sleep(slot - current);
    },
  };
}

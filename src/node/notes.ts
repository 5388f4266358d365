/**
 * Per-POP notes for the Node host, the counterpart of SimpleCache.get, getOrSet and purge: kept in
 * this process, so a restart forgets them as an eviction would on Fastly. The ttl is truncated to
 * whole seconds like the Compute runtime does, so a note that would vanish on Fastly vanishes here too.
 */
import type { Platform } from '../core/types';

export type PopNotes = Pick<Platform, 'readNote' | 'noteOnce' | 'forgetNote'>;

export interface PopNotesOptions {
  /**
   * A purge takes effect this many ms after it is asked for, and then removes whatever the key
   * holds, a value written after the purge included: Fastly's purge lands up to ~150 ms later and
   * is not ordered before a following write. 0 (the default) purges at once.
   */
  purgeDelayMs?: number;
}

interface Note {
  value: string;
  expiresAt: number;
}

export function createPopNotes(now: () => number = Date.now, options: PopNotesOptions = {}): PopNotes {
  const notes = new Map<string, Note>();
  const pendingPurges: { key: string; landsAt: number }[] = [];
  const purgeDelayMs = options.purgeDelayMs ?? 0;

  const landDuePurges = () => {
    for (let i = pendingPurges.length - 1; i >= 0; i -= 1) {
      const purge = pendingPurges[i];
      if (purge !== undefined && purge.landsAt <= now()) {
        notes.delete(purge.key);
        pendingPurges.splice(i, 1);
      }
    }
  };
  const live = (key: string): Note | undefined => {
    landDuePurges();
    const note = notes.get(key);
    return note !== undefined && now() < note.expiresAt ? note : undefined;
  };

  return {
    async readNote(key) {
      return live(key)?.value ?? null;
    },
    async noteOnce(key, value, ttlSeconds) {
      const existing = live(key);
      if (existing !== undefined) return existing.value;
      const wholeSeconds = Math.trunc(ttlSeconds);
      if (wholeSeconds >= 1) notes.set(key, { value, expiresAt: now() + wholeSeconds * 1000 });
      else notes.delete(key);
      return value;
    },
    async forgetNote(key) {
      if (purgeDelayMs <= 0) notes.delete(key);
      else pendingPurges.push({ key, landsAt: now() + purgeDelayMs });
    },
  };
}

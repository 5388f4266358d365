/**
 * Per-POP notes for the Node host, the counterpart of SimpleCache.getOrSet and purge: kept in this
 * process, so a restart forgets them as an eviction would on Fastly. The ttl is truncated to whole
 * seconds like the Compute runtime does, so a note that would vanish on Fastly vanishes here too.
 */
import type { Platform } from '../core/types';

export type PopNotes = Pick<Platform, 'noteOnce' | 'forgetNote'>;

interface Note {
  value: string;
  expiresAt: number;
}

export function createPopNotes(now: () => number = Date.now): PopNotes {
  const notes = new Map<string, Note>();
  return {
    async noteOnce(key, value, ttlSeconds) {
      const existing = notes.get(key);
      if (existing !== undefined && now() < existing.expiresAt) return existing.value;
      const wholeSeconds = Math.trunc(ttlSeconds);
      if (wholeSeconds >= 1) notes.set(key, { value, expiresAt: now() + wholeSeconds * 1000 });
      else notes.delete(key);
      return value;
    },
    async forgetNote(key) {
      notes.delete(key);
    },
  };
}

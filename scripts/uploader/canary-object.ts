/** The canary object of DESIGN.md §2 as the uploader writes it, and reading the sequence back. */
import { CANARY_KIND } from '../../src/core/canary';

export const CANARY_VERSION = 1;
export const CANARY_CONTENT_TYPE = 'application/json';
/** Stored as object metadata, so neither GCS nor a CDN in front of it ever caches the canary. */
export const CANARY_CACHE_CONTROL = 'no-store, max-age=0';

export interface CanaryObject {
  kind: typeof CANARY_KIND;
  version: typeof CANARY_VERSION;
  /** RFC 3339, UTC, milliseconds. */
  written_at: string;
  sequence: number;
  writer: string;
}

export function buildCanary(sequence: number, writer: string, now: Date): CanaryObject {
  // toISOString is always UTC with exactly three fraction digits: the format the edge parses.
  return { kind: CANARY_KIND, version: CANARY_VERSION, written_at: now.toISOString(), sequence, writer };
}

export function serializeCanary(canary: CanaryObject): string {
  return `${JSON.stringify(canary)}\n`;
}

/** What an existing object says about the canary sequence. */
export type CanaryReading =
  | { readable: true; sequence: number; writtenAt: string }
  /** `foreign`: not a canary at all (another file), as opposed to a damaged canary. */
  | { readable: false; why: string; foreign?: boolean };

/** Reads a stored object as a canary; anything the edge would not accept is `readable: false`. */
export function readCanary(bytes: Uint8Array): CanaryReading {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return { readable: false, why: 'not JSON', foreign: true };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { readable: false, why: 'not a JSON object', foreign: true };
  }
  const fields = parsed as Record<string, unknown>;
  if (fields.kind !== CANARY_KIND) return { readable: false, why: `kind is not "${CANARY_KIND}"`, foreign: true };
  const { sequence, written_at: writtenAt } = fields;
  if (typeof sequence !== 'number' || !Number.isSafeInteger(sequence) || sequence < 0) {
    return { readable: false, why: 'sequence is not a non-negative integer' };
  }
  if (typeof writtenAt !== 'string') return { readable: false, why: 'written_at is missing' };
  return { readable: true, sequence, writtenAt };
}

/**
 * The canary object (DESIGN.md §2): reading it with a size cap, checking it is intact (CRC32C from
 * `x-goog-hash`) and well-formed, and judging how fresh it is.
 */
import type { Abandonment } from './abandon';
import { crc32c, crc32cFromGoogHash } from './crc32c';
import type { CheckStatus, Reason } from './types';

export const CANARY_KIND = 'edge-canary';
export const MAX_CANARY_BYTES = 64 * 1024;
/** Clock disagreement between the uploader and the edge that is not worth reporting. */
export const FUTURE_SLACK_SECONDS = 60;

const RFC3339_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

export interface CappedBody {
  bytes: Uint8Array;
  /** The body went on past the cap; it was not read further. */
  truncated: boolean;
}

/**
 * Reads at most `cap` bytes and cancels the rest, so a huge or endless body costs nothing. When the
 * read is abandoned (the deadline won), the body is cancelled through the reader that holds its lock.
 */
export async function readCapped(
  body: ReadableStream<Uint8Array> | null,
  cap = MAX_CANARY_BYTES,
  abandonment?: Abandonment,
): Promise<CappedBody> {
  if (!body) return { bytes: new Uint8Array(0), truncated: false };
  const reader = body.getReader();
  abandonment?.onAbandon(() => void reader.cancel().catch(() => undefined));
  const chunks: Uint8Array[] = [];
  let length = 0;
  let truncated = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (length + value.length > cap) {
        chunks.push(value.subarray(0, cap - length));
        length = cap;
        truncated = true;
        break;
      }
      chunks.push(value);
      length += value.length;
    }
  } finally {
    if (truncated) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return { bytes, truncated };
}

export interface CanaryContent {
  writtenAt: string;
  writtenAtMs: number;
  sequence: number | null;
}

export type ContentVerdict =
  | { ok: true; content: CanaryContent }
  | { ok: false; reason: Extract<Reason, 'invalid_content' | 'integrity_mismatch'>; detail: string };

/** Checks that the body is the whole, intact canary object. */
export function inspectCanaryBody(body: CappedBody, googHash: string | null): ContentVerdict {
  if (body.truncated) {
    return { ok: false, reason: 'invalid_content', detail: `body larger than ${MAX_CANARY_BYTES} bytes` };
  }
  const expected = crc32cFromGoogHash(googHash);
  if (expected.kind === 'malformed') {
    return { ok: false, reason: 'integrity_mismatch', detail: `x-goog-hash crc32c "${printable(expected.value)}" is not 4 bytes of base64` };
  }
  if (expected.kind === 'present') {
    const actual = crc32c(body.bytes);
    if (actual !== expected.crc) {
      return { ok: false, reason: 'integrity_mismatch', detail: `crc32c ${hex(actual)} != x-goog-hash ${hex(expected.crc)}` };
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(body.bytes));
  } catch {
    return { ok: false, reason: 'invalid_content', detail: `body is not JSON (${body.bytes.length} bytes)` };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { ok: false, reason: 'invalid_content', detail: 'body is not a JSON object' };
  }
  const fields = parsed as Record<string, unknown>;
  if (fields.kind !== CANARY_KIND) {
    return { ok: false, reason: 'invalid_content', detail: `kind is not "${CANARY_KIND}"` };
  }
  const writtenAt = fields.written_at;
  const writtenAtMs = typeof writtenAt === 'string' && RFC3339_UTC.test(writtenAt) ? Date.parse(writtenAt) : NaN;
  if (typeof writtenAt !== 'string' || Number.isNaN(writtenAtMs)) {
    return { ok: false, reason: 'invalid_content', detail: 'written_at is missing or not an RFC 3339 UTC time' };
  }
  const sequence = Number.isSafeInteger(fields.sequence) ? (fields.sequence as number) : null;
  return { ok: true, content: { writtenAt, writtenAtMs, sequence } };
}

export interface Freshness {
  status: CheckStatus;
  reason: Reason;
  ageSeconds: number;
  detail: string;
}

export interface FreshnessLimits {
  warnAgeSeconds: number;
  maxAgeSeconds: number;
}

export function judgeFreshness(writtenAtMs: number, nowMs: number, limits: FreshnessLimits): Freshness {
  const ageSeconds = Math.round((nowMs - writtenAtMs) / 100) / 10;
  if (ageSeconds < -FUTURE_SLACK_SECONDS) {
    // A canary from the future means the writer's clock is wrong; freshness cannot be judged.
    const ahead = -ageSeconds;
    const status: CheckStatus = ahead > limits.maxAgeSeconds ? 'fail' : 'warn';
    return { status, reason: 'future_dated', ageSeconds, detail: `written_at is ${ahead}s in the future` };
  }
  if (ageSeconds > limits.maxAgeSeconds) {
    return { status: 'fail', reason: 'stale', ageSeconds, detail: `age ${ageSeconds}s > max ${limits.maxAgeSeconds}s` };
  }
  if (ageSeconds > limits.warnAgeSeconds) {
    return { status: 'warn', reason: 'stale', ageSeconds, detail: `age ${ageSeconds}s > warn ${limits.warnAgeSeconds}s` };
  }
  return { status: 'pass', reason: 'ok', ageSeconds, detail: `age ${ageSeconds}s` };
}

/** The header value as evidence: printable ASCII only and short, since it came from the network. */
function printable(value: string): string {
  return value.replace(/[^\x20-\x7e]/g, '?').slice(0, 32);
}

function hex(n: number): string {
  return n.toString(16).padStart(8, '0');
}

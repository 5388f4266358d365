/**
 * Turns what a backend answered into one of the reason codes of DESIGN.md §3. From a GCS error body
 * only `<Code>` is read: StringToSign, CanonicalRequest and the rest are never kept or echoed.
 */
import type { Reason } from './types';

const ERROR_CODE = /<Code>\s*([A-Za-z0-9._-]{1,64})\s*<\/Code>/;
export const MAX_ERROR_BODY_BYTES = 16 * 1024;

export function extractErrorCode(body: string): string | null {
  return ERROR_CODE.exec(body.slice(0, MAX_ERROR_BODY_BYTES))?.[1] ?? null;
}

/** The reason for a non-200 answer, given its status and the origin's error code (if any). */
export function classifyHttpFailure(status: number, errorCode: string | null): Reason {
  // SignatureDoesNotMatch, InvalidAccessKeyId, AccessDenied, InvalidSecurity, no code at all, or a
  // code GCS may add later: every refusal is an authentication failure, and errorCode says which.
  if (status === 401 || status === 403) {
    if (errorCode === 'RequestTimeTooSkewed') return 'clock_skew';
    return 'auth_failed';
  }
  if (status === 404) return errorCode === 'NoSuchBucket' ? 'bucket_missing' : 'not_found';
  if (status >= 500) return 'origin_error';
  return 'unexpected_status';
}

/** Only transport failures and 5xx are worth another try; a 4xx is the answer. */
export function isRetryable(reason: Reason): boolean {
  return reason === 'timeout' || reason === 'connect_failed' || reason === 'origin_error';
}

export interface CacheEvidence {
  reason: Extract<Reason, 'served_from_cache' | 'served_by_fallback'>;
  detail: string;
}

/**
 * Signs in a production CDN reply that the canary did not come straight from the bucket: a cache
 * hit hides a broken origin, and a restart onto a fallback backend hides a broken credential.
 */
export function findCacheEvidence(headers: Headers, expectedBackend?: { header: string; value: string }): CacheEvidence | null {
  const restarts = headers.get('fastly-restarts');
  if (restarts !== null) return { reason: 'served_by_fallback', detail: `Fastly-Restarts: ${short(restarts)}` };
  if (expectedBackend) {
    const backend = headers.get(expectedBackend.header);
    if (backend === null) {
      return { reason: 'served_by_fallback', detail: `no ${expectedBackend.header} header naming the backend (expected ${short(expectedBackend.value)})` };
    }
    if (backend.trim() !== expectedBackend.value) {
      return { reason: 'served_by_fallback', detail: `${expectedBackend.header}: ${short(backend)} (expected ${short(expectedBackend.value)})` };
    }
  }
  const age = headers.get('age');
  if (age !== null && Number(age.trim()) > 0) return { reason: 'served_from_cache', detail: `Age: ${short(age)}` };
  const xCache = headers.get('x-cache');
  if (xCache !== null && /\bHIT\b/i.test(xCache)) return { reason: 'served_from_cache', detail: `X-Cache: ${short(xCache)}` };
  return null;
}

function short(value: string): string {
  const clean = value.replace(/[^\x20-\x7e]/g, '?');
  return clean.length > 40 ? `${clean.slice(0, 37)}...` : clean;
}

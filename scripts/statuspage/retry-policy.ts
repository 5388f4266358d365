/** How the Statuspage client retries: rate-limit answers, server errors and transport failures. */
export interface RetryPolicy {
  /** Total tries per request, the first included. */
  maxTries: number;
  /** First backoff without Retry-After; doubles on each further try. */
  baseDelayMs: number;
  /** Upper bound for any single wait, Retry-After included, so a one-shot run cannot hang for an hour. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxTries: 5, baseDelayMs: 1000, maxDelayMs: 60_000 };

/** 420 is Statuspage's older "Enhance your calm" rate-limit answer; 429 the current one. */
export function shouldRetry(httpStatus: number): boolean {
  return httpStatus === 420 || httpStatus === 429 || httpStatus >= 500;
}

/** Wait before try attempt+1: Retry-After (seconds or HTTP date) when present, else exponential. */
export function retryDelayMs(policy: RetryPolicy, attempt: number, retryAfter: string | null, nowMs: number): number {
  const fromHeader = retryAfter === null ? null : parseRetryAfterMs(retryAfter, nowMs);
  const delay = fromHeader ?? policy.baseDelayMs * 2 ** (attempt - 1);
  return Math.min(delay, policy.maxDelayMs);
}

export function parseRetryAfterMs(value: string, nowMs: number): number | null {
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? null : Math.max(0, date - nowMs);
}

/** Which storage errors are worth another attempt, and how to say what went wrong in one line. */

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'ENOTFOUND',
]);
/** A name that does not resolve will not resolve in 250 ms either. */
const NOT_WORTH_RETRYING = new Set(['ENOTFOUND']);

interface ErrorFields {
  code?: unknown;
  type?: unknown;
  message?: unknown;
}

function fields(error: unknown): ErrorFields {
  return typeof error === 'object' && error !== null ? (error as ErrorFields) : {};
}

/** A string error code such as `ECONNREFUSED` or the library's `CONTENT_DOWNLOAD_MISMATCH`. */
export function codeOf(error: unknown): string | null {
  const { code } = fields(error);
  return typeof code === 'string' ? code : null;
}

/** The HTTP status of an ApiError, or null when the request got no HTTP answer. */
export function httpStatusOf(error: unknown): number | null {
  const { code } = fields(error);
  return typeof code === 'number' && code >= 100 && code <= 599 ? code : null;
}

/** No HTTP answer at all: refused, reset, DNS retry, timed out. */
export function isNetworkFailure(error: unknown): boolean {
  const { code, type, message } = fields(error);
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
  // node-fetch (used by the library) reports its own timeout as a type, not a code.
  if (type === 'request-timeout') return true;
  return typeof message === 'string' && /socket hang up|network timeout/i.test(message);
}

export function isTransient(error: unknown): boolean {
  const status = httpStatusOf(error);
  if (status !== null) return status === 408 || status === 429 || status >= 500;
  return isNetworkFailure(error) && !NOT_WORTH_RETRYING.has(codeOf(error) ?? '');
}

/** One short line: `connect ECONNREFUSED`, `503 backend unavailable`, `network timeout`. */
export function describeError(error: unknown): string {
  const { code, type, message } = fields(error);
  if (type === 'request-timeout') return 'no answer within the request timeout';
  const text = typeof message === 'string' ? message : String(error);
  // node-fetch: "request to http://…/o?alt=media failed, reason: connect ECONNREFUSED 127.0.0.1:4443"
  const reason = /reason: (.*)$/s.exec(text)?.[1] ?? text;
  const withoutAddress = reason.replace(/\s+\[?[0-9a-f.:]+\]?:\d+\s*$/i, '');
  const status = httpStatusOf(error);
  const line = status !== null && !withoutAddress.startsWith(String(status)) ? `${status} ${withoutAddress}` : withoutAddress;
  const oneLine = line.replace(/\s+/g, ' ').trim() || (typeof code === 'string' ? code : 'unknown error');
  return oneLine.length > 300 ? `${oneLine.slice(0, 297)}...` : oneLine;
}

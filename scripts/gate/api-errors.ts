/**
 * A failed Fastly API call, named by kind so the gate's reason says what happened and what to do.
 * From an error body only Fastly's `msg` and `detail` are kept, shortened and printable.
 */
export type ApiFailureKind =
  | 'unauthorized' | 'forbidden' | 'not_found' | 'rejected' | 'rate_limited' | 'timeout' | 'unreachable'
  | 'api_error' | 'bad_response';

const ADVICE: Record<ApiFailureKind, string> = {
  unauthorized: 'FASTLY_API_TOKEN was refused: check it is current and not expired',
  forbidden: 'the token may not do this: it needs the global scope (engineer role or above) on this service',
  not_found: 'check --service-id and --version',
  rejected: 'the API refused the request; its message says why (e.g. a version that does not validate, or Staging not enabled for the account)',
  rate_limited: 'the API rate limit is used up: wait for the reset, then run the gate again',
  timeout: 'the API did not answer in time: run the gate again, and check status.fastly.com',
  unreachable: 'check the network path to the API (proxy, DNS) and --api-base',
  api_error: 'the API failed: run the gate again, and check status.fastly.com',
  bad_response: 'the API answered something the gate does not understand: check --api-base',
};

export class FastlyApiError extends Error {
  constructor(
    readonly kind: ApiFailureKind,
    /** What the gate was doing: "activate version 7 on staging". */
    readonly action: string,
    readonly httpStatus: number | null,
    readonly detail: string,
  ) {
    super(`${action}: ${kind}${httpStatus === null ? '' : ` (HTTP ${httpStatus})`}: ${detail}; ${ADVICE[kind]}`);
    this.name = 'FastlyApiError';
  }
}

export function describeApiFailure(action: string, response: Response, body: string): FastlyApiError {
  const status = response.status;
  const said = fastlyMessage(body);
  if (status === 429) {
    const reset = Number(response.headers.get('fastly-ratelimit-reset'));
    const when = Number.isFinite(reset) && reset > 0 ? `resets at ${new Date(reset * 1000).toISOString()}` : 'no reset time given';
    return new FastlyApiError('rate_limited', action, status, `${said ?? 'too many requests'} (${when})`);
  }
  const kind: ApiFailureKind = status === 401 ? 'unauthorized'
    : status === 403 ? 'forbidden'
      : status === 404 ? 'not_found'
        : status >= 500 ? 'api_error'
          : status >= 400 ? 'rejected'
            : 'bad_response';
  return new FastlyApiError(kind, action, status, said ?? `no message (${body.length} bytes)`);
}

/** `{"msg": "...", "detail": "..."}`, as the Fastly API reports errors. */
function fastlyMessage(body: string): string | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return null;
  }
  const fields = (parsed ?? {}) as Record<string, unknown>;
  const parts = [fields.msg, fields.detail].filter((v): v is string => typeof v === 'string' && v !== '');
  return parts.length === 0 ? null : printable(parts.join(': '));
}

function printable(text: string): string {
  const clean = text.replace(/[^\x20-\x7e]/g, '?');
  return clean.length > 200 ? `${clean.slice(0, 197)}...` : clean;
}

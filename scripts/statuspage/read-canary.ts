import type { StatuspageStatus } from '../../src/core/types';
import type { CanaryReading } from './decide';
import { isStatuspageStatus } from './decide';

export interface ReadCanaryOptions {
  timeoutMs: number;
  fetch?: typeof fetch;
}

/**
 * Reads one canary's /health. Any HTTP status with a usable health+json body is a reading (a
 * failing canary answers 503 with the details); a canary reporting `misconfigured` is blind;
 * everything else makes the canary unreachable. Never throws.
 */
export async function readCanary(url: string, options: ReadCanaryOptions): Promise<CanaryReading> {
  const fetchFn = options.fetch ?? fetch;
  let response: Response;
  let body: string;
  try {
    response = await fetchFn(url, {
      headers: { Accept: 'application/health+json', 'User-Agent': 'edge-canary-statuspage-sync' },
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    body = await response.text();
  } catch (error) {
    return { url, kind: 'unreachable', problem: describeFetchFailure(error, options.timeoutMs) };
  }
  return interpretBody(url, response.status, body);
}

export function readCanaries(urls: string[], options: ReadCanaryOptions): Promise<CanaryReading[]> {
  return Promise.all(urls.map((url) => readCanary(url, options)));
}

function interpretBody(url: string, httpStatus: number, body: string): CanaryReading {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { url, kind: 'unreachable', problem: `HTTP ${httpStatus} with a body that is not JSON` };
  }
  const fields = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  if (fields.reason === 'misconfigured') {
    const output = typeof fields.output === 'string' ? `: ${fields.output}` : '';
    return { url, kind: 'misconfigured', problem: `the canary reports misconfigured${output}; fix its configuration (it cannot check the files until then)` };
  }
  const { statuspage } = fields;
  if (statuspage === undefined) {
    return { url, kind: 'unreachable', problem: `HTTP ${httpStatus} JSON has no "statuspage" field` };
  }
  if (!isStatuspageStatus(statuspage)) {
    return { url, kind: 'unreachable', problem: `HTTP ${httpStatus} "statuspage" is ${JSON.stringify(statuspage)}, not a known status` };
  }
  const checkedAt = typeof fields.checkedAt === 'string' && fields.checkedAt !== '' ? fields.checkedAt : null;
  return { url, kind: 'status', status: capWriterProblems(statuspage, fields.checks), httpStatus, checkedAt };
}

/**
 * A stale or future-dated canary is a writer problem: the files are still read, so the page shows
 * at most degraded_performance. The canary maps it so itself; a canary deployed before that rule
 * still says major_outage, so the sync applies it too, from the checks: when every failing check is
 * a freshness check failing as stale or future_dated, the outage is the writer's.
 */
function capWriterProblems(statuspage: StatuspageStatus, checks: unknown): StatuspageStatus {
  if (statuspage !== 'major_outage' && statuspage !== 'partial_outage') return statuspage;
  if (typeof checks !== 'object' || checks === null) return statuspage;
  const failing = Object.entries(checks as Record<string, unknown>).flatMap(([name, entries]) =>
    (Array.isArray(entries) ? entries : [])
      .filter((entry): entry is Record<string, unknown> => typeof entry === 'object' && entry !== null && entry.status === 'fail')
      .map((entry) => ({ name, reason: entry.reason })),
  );
  const writerOnly = failing.length > 0 && failing.every(({ name, reason }) => name.endsWith(':freshness') && (reason === 'stale' || reason === 'future_dated'));
  return writerOnly ? 'degraded_performance' : statuspage;
}

function describeFetchFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `no answer within ${timeoutMs / 1000} s`;
  }
  const cause = error instanceof Error ? error.cause : undefined;
  if (cause instanceof Error) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === undefined) return cause.message;
    return cause.message.includes(code) ? cause.message : `${cause.message} (${code})`.trim();
  }
  return error instanceof Error ? error.message : String(error);
}

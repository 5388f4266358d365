/** Aggregates check results into the overall verdict: status, reason, HTTP status, Statuspage status, sentence. */
import type { CheckStatus, Credential, Reason, Report, StatuspageStatus, TargetResult } from './types';

const RANK: Record<CheckStatus, number> = { pass: 0, warn: 1, fail: 2 };

export function worstStatus(statuses: CheckStatus[]): CheckStatus {
  return statuses.reduce<CheckStatus>((worst, s) => (RANK[s] > RANK[worst] ? s : worst), 'pass');
}

export interface ReportContext {
  pop: string;
  releaseId: string;
  checkedAt: string;
  durationMs: number;
  credential: Credential | null;
}

export function buildReport(results: TargetResult[], context: ReportContext): Report {
  const checks = results.flatMap((r) => [r.fetch, r.freshness]);
  const status = worstStatus(checks.map((c) => c.status));
  // Results are ordered origin first and fetch before freshness, so the first worst check is the cause.
  const cause = checks.find((c) => c.status === status);
  const reason: Reason = status === 'pass' ? 'ok' : (cause?.reason ?? 'ok');
  const origin = results.find((r) => r.fetch.target === 'origin');
  return {
    status,
    reason,
    httpStatus: status === 'fail' ? 503 : 200,
    statuspage: statuspageStatus(results),
    output: results.map(describeTarget).join('; '),
    ...context,
    shared: false,
    ageSeconds: origin?.freshness.ageSeconds ?? null,
    results,
    configErrors: [],
    since: null,
    settings: null,
  };
}

export function misconfiguredReport(errors: string[], context: ReportContext): Report {
  return {
    status: 'fail',
    reason: 'misconfigured',
    httpStatus: 503,
    // A canary that cannot check anything cannot say there is an outage either (DESIGN: a blind monitor is not an outage).
    statuspage: null,
    output: `config: ${errors.join('; ')}`,
    ...context,
    shared: false,
    ageSeconds: null,
    results: [],
    configErrors: errors,
    since: null,
    settings: null,
  };
}

/**
 * Origin failing is an outage of everything; only the production path failing is partial. A stale
 * or future-dated canary is a writer problem: files are still read, so it is at most degraded.
 */
export function statuspageStatus(results: TargetResult[]): StatuspageStatus {
  const statusOf = (r: TargetResult) => worstStatus([r.fetch.status, isWriterProblem(r) ? 'warn' : r.freshness.status]);
  const origin = results.filter((r) => r.fetch.target === 'origin').map(statusOf);
  const edge = results.filter((r) => r.fetch.target === 'edge').map(statusOf);
  if (origin.length === 0 || origin.includes('fail')) return 'major_outage';
  if (edge.includes('fail')) return 'partial_outage';
  return worstStatus([...origin, ...edge]) === 'warn' ? 'degraded_performance' : 'operational';
}

function isWriterProblem({ fetch, freshness }: TargetResult): boolean {
  return fetch.status === 'pass' && (freshness.reason === 'stale' || freshness.reason === 'future_dated');
}

/** "origin: auth_failed (403 SignatureDoesNotMatch)", "origin: ok (200, age 12s)". */
export function describeTarget({ fetch, freshness }: TargetResult): string {
  if (fetch.status === 'fail') {
    // A 200 that failed (bad content, cache, fallback) is explained by what was wrong with it.
    const evidence = fetch.httpStatus === 200 ? '' : [fetch.httpStatus, fetch.errorCode].filter((v) => v !== null).join(' ');
    return `${fetch.target}: ${fetch.reason} (${evidence || fetch.detail})`;
  }
  if (freshness.status !== 'pass') return `${fetch.target}: ${freshness.reason} (${freshness.detail})`;
  return `${fetch.target}: ok (${fetch.httpStatus}, age ${Math.round(freshness.ageSeconds ?? 0)}s)`;
}

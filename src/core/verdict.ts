/**
 * Aggregates check results into the overall verdict: status, reason, HTTP status, Statuspage status,
 * sentence. A fallback origin is read by production only once the primary fails, so its failure
 * is a warning (200) that names it, and leaves Statuspage alone: users are not affected yet.
 */
import { isFallbackTarget, isPrimaryOrigin, targetKind } from './targets';
import { CHECK_STATUSES, type CheckStatus, type Credential, type Reason, type Report, type StatuspageStatus, type TargetResult } from './types';


export function worstStatus(statuses: CheckStatus[]): CheckStatus {
  return statuses.reduce<CheckStatus>((worst, s) => (CHECK_STATUSES.indexOf(s) > CHECK_STATUSES.indexOf(worst) ? s : worst), 'pass');
}

export interface ReportContext {
  pop: string;
  releaseId: string;
  checkedAt: string;
  durationMs: number;
  credential: Credential | null;
}

export function buildReport(probed: TargetResult[], context: ReportContext): Report {
  const results = probed.map(capFallback);
  const checks = results.flatMap((r) => [r.fetch, r.freshness]);
  const status = worstStatus(checks.map((c) => c.status));
  // Results are ordered primary, fallbacks, edge, and fetch before freshness, so the first worst check is the cause.
  const cause = checks.find((c) => c.status === status);
  const reason: Reason = status === 'pass' ? 'ok' : (cause?.reason ?? 'ok');
  const origin = results.find((r) => isPrimaryOrigin(r.fetch.target));
  return {
    status,
    reason,
    httpStatus: status === 'fail' ? 503 : 200,
    statuspage: statuspageStatus(results),
    output: results.map((r) => describeTarget(r, primaryReadable(results))).join('; '),
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

/** A fallback's failing checks are warnings: production does not read it while the primary works. */
export function capFallback(result: TargetResult): TargetResult {
  if (!isFallbackTarget(result.fetch.target)) return result;
  const cap = <T extends { status: CheckStatus }>(check: T): T => (check.status === 'fail' ? { ...check, status: 'warn' } : check);
  return { fetch: cap(result.fetch), freshness: cap(result.freshness) };
}

/**
 * A fallback origin is not what users read while the primary works: it never moves the page.
 * Primary failing is an outage of everything; only the production path failing is partial. A stale
 * or future-dated canary is a writer problem: files are still read, so it is at most degraded.
 */
export function statuspageStatus(results: TargetResult[]): StatuspageStatus {
  const statusOf = (r: TargetResult) => worstStatus([r.fetch.status, isWriterProblem(r) ? 'warn' : r.freshness.status]);
  const origin = results.filter((r) => isPrimaryOrigin(r.fetch.target)).map(statusOf);
  const edge = results.filter((r) => targetKind(r.fetch.target) === 'edge').map(statusOf);
  if (origin.length === 0 || origin.includes('fail')) return 'major_outage';
  if (edge.includes('fail')) return 'partial_outage';
  return worstStatus([...origin, ...edge]) === 'warn' ? 'degraded_performance' : 'operational';
}

function isWriterProblem({ fetch, freshness }: TargetResult): boolean {
  return fetch.status === 'pass' && (freshness.reason === 'stale' || freshness.reason === 'future_dated');
}

/**
 * Whether production can read its primary now (its fetch passes; a stale copy is still read). A
 * fallback's failure leaves users unaffected only while this holds.
 */
export function primaryReadable(results: readonly TargetResult[]): boolean {
  const primary = results.find((r) => isPrimaryOrigin(r.fetch.target));
  return primary === undefined || primary.fetch.status === 'pass';
}

/** Why a failing fallback matters: later while the primary reads, now when it does not. */
function fallbackConsequence(what: string, primaryOk: boolean): string {
  return primaryOk
    ? `: ${what}; users are unaffected until the primary fails`
    : `: ${what}, and the primary is failing too: it is the last copy production could restart onto, and it cannot serve`;
}

/**
 * "origin: auth_failed (403 SignatureDoesNotMatch)", "origin: ok (200, age 12s)", "origin:fallback:
 * auth_failed (403 SignatureDoesNotMatch): the fallback cannot be read; users are unaffected until
 * the primary fails" (while the primary is readable; `primaryOk` says whether it is).
 */
export function describeTarget(result: TargetResult, primaryOk = true): string {
  const { fetch, freshness } = result;
  const fallback = isFallbackTarget(fetch.target);
  if (fetch.status !== 'pass') {
    // A 200 that failed (bad content, cache, fallback) is explained by what was wrong with it.
    const evidence = fetch.httpStatus === 200 ? '' : [fetch.httpStatus, fetch.errorCode].filter((v) => v !== null).join(' ');
    const consequence = fallback ? fallbackConsequence('the fallback cannot be read', primaryOk) : '';
    return `${fetch.target}: ${fetch.reason} (${evidence || fetch.detail})${consequence}`;
  }
  if (freshness.status !== 'pass') {
    const consequence = fallback ? fallbackConsequence("the fallback's copy is not kept current", primaryOk) : '';
    return `${fetch.target}: ${freshness.reason} (${freshness.detail})${consequence}`;
  }
  return `${fetch.target}: ok (${fetch.httpStatus}, age ${Math.round(freshness.ageSeconds ?? 0)}s)`;
}

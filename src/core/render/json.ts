/** application/health+json (draft-inadarei-api-health-check field names, plus flat fields for simple checkers). */
import type { FetchCheck, FreshnessCheck, Report, Target } from '../types';

export const HEALTH_JSON_TYPE = 'application/health+json';

export function renderHealthJson(report: Report): string {
  const checks: Record<string, unknown[]> = {};
  for (const { fetch, freshness } of report.results) {
    checks[`${fetch.target}:fetch`] = [fetchEntry(fetch)];
    checks[`${fetch.target}:freshness`] = [freshnessEntry(freshness, fetch.componentId)];
  }
  if (report.configErrors.length > 0) {
    checks.config = [{ componentType: 'component', status: 'fail', reason: 'misconfigured', output: report.configErrors.join('; ') }];
  }
  const body = {
    status: report.status,
    releaseId: report.releaseId,
    serviceId: 'edge-canary',
    description: 'Signed, cache-bypassing read of the canary object in the private bucket',
    output: report.output,
    reason: report.reason,
    statuspage: report.statuspage,
    pop: report.pop,
    checkedAt: report.checkedAt,
    shared: report.shared,
    ageSeconds: report.ageSeconds,
    durationMs: report.durationMs,
    checks,
    ...(report.credential ? { credential: report.credential } : {}),
  };
  return `${JSON.stringify(body, null, 2)}\n`;
}

function fetchEntry(check: FetchCheck) {
  return {
    componentId: check.componentId,
    componentType: componentType(check.target),
    status: check.status,
    reason: check.reason,
    httpStatus: check.httpStatus,
    errorCode: check.errorCode,
    attempts: check.attempts,
    observedValue: check.durationMs,
    observedUnit: 'ms',
    time: check.time,
    output: check.status === 'pass' ? undefined : check.detail,
  };
}

function freshnessEntry(check: FreshnessCheck, componentId: string) {
  return {
    componentId,
    componentType: componentType(check.target),
    status: check.status,
    reason: check.reason,
    observedValue: check.ageSeconds,
    observedUnit: 's',
    writtenAt: check.writtenAt,
    sequence: check.sequence,
    output: check.status === 'pass' ? undefined : check.detail,
  };
}

/** The bucket is a datastore; the production CDN path in front of it is a system. */
function componentType(target: Target): 'datastore' | 'system' {
  return target === 'origin' ? 'datastore' : 'system';
}

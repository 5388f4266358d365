/** application/health+json (draft-inadarei-api-health-check field names, plus flat fields for simple checkers). */
import { adviseReport, type TargetAdvice } from '../advice';
import { targetKind } from '../targets';
import type { Credential, FetchCheck, FreshnessCheck, Report, Target } from '../types';
import { fleetChecks, fleetFields } from './fleet-json';
import { sinceSeconds } from './since';

export const HEALTH_JSON_TYPE = 'application/health+json';

export function renderHealthJson(report: Report): string {
  const advice = adviseReport(report);
  const checks: Record<string, unknown[]> = {};
  report.results.forEach(({ fetch, freshness }, index) => {
    const actions: TargetAdvice = advice.targets[index]!;
    checks[`${fetch.target}:fetch`] = [fetchEntry(fetch, actions.fetch)];
    checks[`${fetch.target}:freshness`] = [freshnessEntry(freshness, fetch.componentId, actions.freshness)];
  });
  if (report.configErrors.length > 0) {
    checks.config = [{ componentType: 'component', status: 'fail', reason: 'misconfigured', output: report.configErrors.join('; '), action: advice.action }];
  }
  Object.assign(checks, fleetChecks(report));
  const body = {
    status: report.status,
    releaseId: report.releaseId,
    serviceId: 'edge-canary',
    description: 'Signed, cache-bypassing read of the canary object in the private bucket',
    output: report.output,
    reason: report.reason,
    action: advice.action,
    since: report.since?.since ?? null,
    sinceSeconds: sinceSeconds(report),
    previousStatus: report.since?.previous ?? null,
    statuspage: report.statuspage,
    pop: report.pop,
    checkedAt: report.checkedAt,
    shared: report.shared,
    ageSeconds: report.ageSeconds,
    durationMs: report.durationMs,
    ...fleetFields(report),
    checks,
    ...(report.credential ? { credential: report.credential } : {}),
    ...(report.targets ? { credentials: credentialsByTarget(report) } : {}),
  };
  // One line: keyword checkers match `"status":"pass"` literally, with no space after the colon.
  return `${JSON.stringify(body)}\n`;
}

function fetchEntry(check: FetchCheck, action: string) {
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
    action,
  };
}

function freshnessEntry(check: FreshnessCheck, componentId: string, action: string) {
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
    action,
  };
}

/** The bucket is a datastore; the production CDN path in front of it is a system. */
function componentType(target: Target): 'datastore' | 'system' {
  return targetKind(target) === 'origin' ? 'datastore' : 'system';
}

/** With several origins, each one's credential by target (null with signing none). */
function credentialsByTarget(report: Report): Record<string, Credential | null> {
  return Object.fromEntries(Object.entries(report.targets ?? {}).map(([target, { credential }]) => [target, credential]));
}

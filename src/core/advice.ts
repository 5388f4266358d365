/**
 * The action table applied to a report: one action per check and one for the report (that of the
 * check that decided its status), as every view shows them.
 */
import { actionFor, NONE_NEEDED, type ActionEvidence } from './actions';
import type { FetchCheck, FreshnessCheck, Report } from './types';
import { primaryReadable } from './verdict';

export interface TargetAdvice {
  fetch: string;
  freshness: string;
}

export interface ReportAdvice {
  /** What to do about the report as a whole. */
  action: string;
  /** Parallel to `report.results`. */
  targets: TargetAdvice[];
}

export function adviseReport(report: Report): ReportAdvice {
  const targets = report.results.map(({ fetch, freshness }) => ({
    fetch: fetchAction(fetch, report),
    freshness: freshnessAction(freshness, fetch, report),
  }));
  return { action: reportAction(report, targets), targets };
}

function reportAction(report: Report, targets: TargetAdvice[]): string {
  if (report.status === 'pass') return NONE_NEEDED;
  // The fleet's verdict is its worst site's: the action is that site's. A shield's own report does not
  // say where it ran, so it is prefixed; a failed hop's action (no POP answered) names the shield itself.
  const site = report.fleet?.sites.find((candidate) => candidate.status === report.status);
  if (site) return site.shield === null || site.pop === null ? site.action : `at shield ${site.shield} (${site.pop}): ${site.action}`;
  if (report.results.length === 0) return actionFor(evidence(report, { reason: report.reason }));
  // The same cause as the verdict: origin first, fetch before freshness, the first worst check.
  for (const [index, { fetch, freshness }] of report.results.entries()) {
    if (fetch.status === report.status) return targets[index]!.fetch;
    if (freshness.status === report.status) return targets[index]!.freshness;
  }
  return actionFor(evidence(report, { reason: report.reason }));
}

function fetchAction(check: FetchCheck, report: Report): string {
  return actionFor(evidence(report, check));
}

/** The fetch got no canary object, so there was no age to judge. */
export function isFreshnessSkipped(check: FreshnessCheck, fetch: FetchCheck): boolean {
  return check.ageSeconds === null && fetch.status !== 'pass';
}

/** A skipped freshness check has nothing of its own to do. */
function freshnessAction(check: FreshnessCheck, fetch: FetchCheck, report: Report): string {
  if (isFreshnessSkipped(check, fetch)) return `nothing of its own: the fetch failed (${fetch.reason}), so there was no canary to judge; follow the fetch's action`;
  return actionFor(evidence(report, check));
}

type CheckFields = Partial<Omit<ActionEvidence, 'credential' | 'settings' | 'pop'>> & Pick<ActionEvidence, 'reason'>;

function evidence(report: Report, check: CheckFields): ActionEvidence {
  // With several origins, each quotes its own bucket, host and credential.
  const own = check.target ? report.targets?.[check.target] : undefined;
  return {
    target: check.target ?? 'origin',
    reason: check.reason,
    httpStatus: check.httpStatus ?? null,
    errorCode: check.errorCode ?? null,
    attempts: check.attempts ?? 0,
    detail: check.detail ?? report.output,
    ageSeconds: check.ageSeconds ?? null,
    writtenAt: check.writtenAt ?? null,
    sequence: check.sequence ?? null,
    credential: own ? own.credential : report.credential,
    settings: own?.settings ?? report.settings,
    pop: report.pop,
    primaryReadable: primaryReadable(report.results),
  };
}

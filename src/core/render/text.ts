/**
 * Plain text for a terminal at 3 a.m.: the headline (unchanged, keyword checkers match it), since
 * when, what to do, then one line per check with its evidence, readable at 80 columns except for
 * actions, which quote a command line whole so it can be pasted.
 */
import { adviseReport, isFreshnessSkipped } from '../advice';
import type { FetchCheck, FreshnessCheck, Report } from '../types';
import { fleetLines } from './fleet-text';
import { describeSince } from './since';
import { describeStatuspage } from './statuspage';

export function renderText(report: Report): string {
  const advice = adviseReport(report);
  const lines = [
    `${report.status.toUpperCase()} edge-canary ${report.reason} pop=${report.pop} checked=${report.checkedAt}${report.shared ? ' (shared)' : ''}`,
    describeSince(report),
    `action: ${advice.action}`,
    ...fleetLines(report, advice.action),
  ];
  report.results.forEach(({ fetch, freshness }, index) => {
    const actions = advice.targets[index]!;
    lines.push(fetchLine(fetch));
    // The headline's action is not repeated; another failing check gets its own.
    if (fetch.status !== 'pass' && actions.fetch !== advice.action) lines.push(`  action: ${actions.fetch}`);
    lines.push(freshnessLine(freshness));
    if (freshness.status !== 'pass' && !isFreshnessSkipped(freshness, fetch) && actions.freshness !== advice.action) lines.push(`  action: ${actions.freshness}`);
  });
  for (const error of report.configErrors) lines.push(`FAIL config misconfigured ${error}`);
  if (report.targets) {
    for (const [target, { credential }] of Object.entries(report.targets)) {
      if (credential) lines.push(`credential ${target} ${credential.accessId} fingerprint ${credential.fingerprint}`);
    }
  } else if (report.credential) {
    lines.push(`credential ${report.credential.accessId} fingerprint ${report.credential.fingerprint}`);
  }
  lines.push(`statuspage ${describeStatuspage(report)} release ${report.releaseId}`);
  return `${lines.join('\n')}\n`;
}

/** `FAIL origin auth_failed 403 SignatureDoesNotMatch 41ms`, `FAIL origin invalid_content 200 3ms (kind is not "edge-canary")` */
function fetchLine(check: FetchCheck): string {
  const parts = [check.status.toUpperCase(), check.target, check.reason];
  if (check.httpStatus !== null) parts.push(String(check.httpStatus));
  if (check.errorCode !== null) parts.push(check.errorCode);
  parts.push(`${Math.round(check.durationMs)}ms`);
  if (check.attempts > 1) parts.push(`attempts=${check.attempts}`);
  // A failed 200 (bad content, cache, fallback) or no answer at all is explained only by the detail.
  if (check.status !== 'pass' && (check.httpStatus === null || check.httpStatus === 200)) parts.push(`(${check.detail})`);
  return parts.join(' ');
}

/** `PASS origin freshness age=12s seq=1734`, `WARN origin freshness stale age=412s seq=9 (age 412s > warn 300s)` */
function freshnessLine(check: FreshnessCheck): string {
  const parts = [check.status.toUpperCase(), check.target, 'freshness'];
  if (check.ageSeconds === null) parts.push(check.reason === 'ok' ? 'unknown' : `skipped (${check.reason})`);
  else {
    if (check.reason !== 'ok') parts.push(check.reason);
    parts.push(`age=${check.ageSeconds}s`);
    if (check.sequence !== null) parts.push(`seq=${check.sequence}`);
    if (check.status !== 'pass') parts.push(`(${check.detail})`);
  }
  return parts.join(' ');
}

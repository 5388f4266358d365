/** Plain text for a terminal at 3 a.m.: a headline, then one line per check, readable at 80 columns. */
import type { FetchCheck, FreshnessCheck, Report } from '../types';

export function renderText(report: Report): string {
  const lines = [
    `${report.status.toUpperCase()} edge-canary ${report.reason} pop=${report.pop} checked=${report.checkedAt}${report.shared ? ' (shared)' : ''}`,
  ];
  for (const { fetch, freshness } of report.results) {
    lines.push(fetchLine(fetch), freshnessLine(freshness));
  }
  for (const error of report.configErrors) lines.push(`FAIL config misconfigured ${error}`);
  if (report.credential) {
    lines.push(`credential ${report.credential.accessId} fingerprint ${report.credential.fingerprint}`);
  }
  lines.push(`statuspage ${report.statuspage} release ${report.releaseId}`);
  return `${lines.join('\n')}\n`;
}

/** `FAIL origin auth_failed 403 SignatureDoesNotMatch 41ms` */
function fetchLine(check: FetchCheck): string {
  const parts = [check.status.toUpperCase(), check.target, check.reason];
  if (check.httpStatus !== null) parts.push(String(check.httpStatus));
  if (check.errorCode !== null) parts.push(check.errorCode);
  parts.push(`${Math.round(check.durationMs)}ms`);
  if (check.attempts > 1) parts.push(`attempts=${check.attempts}`);
  if (check.status !== 'pass' && check.httpStatus === null) parts.push(`(${check.detail})`);
  return parts.join(' ');
}

/** `PASS origin freshness age=12s seq=1734` */
function freshnessLine(check: FreshnessCheck): string {
  const parts = [check.status.toUpperCase(), check.target, 'freshness'];
  if (check.ageSeconds === null) parts.push(check.reason === 'ok' ? 'unknown' : `skipped (${check.reason})`);
  else {
    if (check.reason !== 'ok') parts.push(check.reason);
    parts.push(`age=${check.ageSeconds}s`);
    if (check.sequence !== null) parts.push(`seq=${check.sequence}`);
  }
  return parts.join(' ');
}

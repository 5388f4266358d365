/** "failing since 20:28 UTC (12 min), before that passing": the status note of a report, in words. */
import { formatClock, formatElapsed } from '../time-words';
import type { CheckStatus, Report } from '../types';

const STATUS_ING: Record<CheckStatus, string> = { pass: 'passing', warn: 'warning', fail: 'failing' };

/** How long the status has held, as of the check; null when the POP's memory was unavailable. */
export function sinceSeconds(report: Report): number | null {
  if (!report.since) return null;
  const seconds = (Date.parse(report.checkedAt) - Date.parse(report.since.since)) / 1000;
  return Number.isNaN(seconds) ? null : Math.max(0, Math.round(seconds));
}

export function describeSince(report: Report): string {
  const seconds = sinceSeconds(report);
  const doing = STATUS_ING[report.status];
  if (!report.since || seconds === null) return `${doing}; since when is unknown (this POP's status memory is unavailable)`;
  const when = `${formatClock(report.since.since, report.checkedAt)} (${formatElapsed(seconds)})`;
  if (report.since.previous === null) return `${doing} since at least ${when}: this POP remembers no earlier status`;
  return `${doing} since ${when}, before that ${STATUS_ING[report.since.previous]}`;
}

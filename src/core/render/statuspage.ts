/** The Statuspage status of a report in words; a misconfigured canary maps to none, not to an outage. */
import type { Report } from '../types';

export const NO_STATUSPAGE_STATUS = 'none (the canary cannot vouch for anything)';

export function describeStatuspage(report: Report): string {
  return report.statuspage ?? NO_STATUSPAGE_STATUS;
}

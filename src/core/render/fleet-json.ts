/** The fleet view in health+json: one `shield:<code>` check per shield, and a `fleet` summary. */
import type { FleetSite, Report } from '../types';

/** `checks` entries to add, keyed `shield:<code>`, in config order; none without a fleet view. */
export function fleetChecks(report: Report): Record<string, unknown[]> {
  const checks: Record<string, unknown[]> = {};
  for (const site of report.fleet?.sites ?? []) {
    if (site.shield !== null) checks[`shield:${site.shield}`] = [siteEntry(site)];
  }
  return checks;
}

/** The top-level fields of a fleet report; empty without one, so the POP view stays as it was. */
export function fleetFields(report: Report): Record<string, unknown> {
  if (!report.fleet) return {};
  const edge = report.fleet.sites.find((site) => site.shield === null);
  return {
    scope: 'fleet',
    fleet: {
      shieldCount: report.fleet.shieldCount,
      failingShields: report.fleet.failingShields,
      edge: edge ? { pop: edge.pop, status: edge.status, reason: edge.reason, output: edge.output, statuspage: edge.statuspage } : null,
    },
  };
}

function siteEntry(site: FleetSite) {
  return {
    componentId: site.shield,
    componentType: 'system',
    status: site.status,
    reason: site.reason,
    pop: site.pop,
    answeredBy: site.answeredBy,
    httpStatus: site.httpStatus,
    observedValue: site.durationMs,
    observedUnit: 'ms',
    // As for the POP's own checks: no time without an answer, no output when it passes.
    time: site.checkedAt ?? undefined,
    output: site.status === 'pass' ? undefined : site.output,
    action: site.action,
    statuspage: site.statuspage,
  };
}

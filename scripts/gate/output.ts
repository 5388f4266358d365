/** The gate's verdict for people (the last lines) and for machines (--json), and its exit code. */
import type { GateReport } from './run-gate';
import type { Reading } from './readings';

/** 0 passed (and activated when asked), 2 blocked or failed; usage errors (1) never get this far. */
export function exitCodeOf(report: GateReport): number {
  return report.result === 'passed' || report.result === 'activated' ? 0 : 2;
}

export function verdictLines(report: GateReport): string[] {
  const { version } = report;
  const lines: string[] = [];
  if (report.result === 'activated') lines.push(`PASSED: version ${version} is active on production and the canary reads ok through it`);
  else if (report.result === 'passed') lines.push(`PASSED: version ${version} reads ok through staging (not activated)`);
  else if (report.result === 'blocked') lines.push(`BLOCKED: ${report.reason}`, `  ${report.evidence ?? ''}`, `version ${version} was not activated`);
  else lines.push(`FAILED: ${report.reason}`, ...(report.evidence ? [`  ${report.evidence}`] : []), report.activated ? `version ${version} IS active on production` : `version ${version} was not activated`);
  for (const note of report.notes.slice(1)) lines.push(`note: ${note}`);
  return lines;
}

export function toJson(report: GateReport): string {
  return JSON.stringify({
    result: report.result,
    reason: report.reason,
    evidence: report.evidence,
    serviceId: report.serviceId,
    version: report.version,
    activeVersion: report.activeVersion,
    activated: report.activated,
    stagingDeactivated: report.stagingDeactivated,
    staging: report.staging,
    changes: report.changes,
    readings: report.readings.map(readingJson),
    production: report.production ? readingJson(report.production) : null,
    notes: report.notes,
  }, null, 2);
}

function readingJson(reading: Reading) {
  const { result: _checks, ...rest } = reading;
  return rest;
}

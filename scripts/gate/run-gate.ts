/**
 * The gate itself: stage version N, read the canary through staging K times, and activate N on
 * production only if every reading passed and activation was asked for; otherwise take N off
 * staging and say why. Each step is said as it happens; the report records all of it.
 */
import { UsageError } from '../../src/node/cli-kit';
import { FastlyApiError } from './api-errors';
import { describeChange, summarizeDiff, type VersionChange } from './diff-summary';
import type { GateOptions } from './args';
import type { FastlyApi } from './fastly-api';
import { describeReading, type Address, type Reading, type ReadingPlan } from './readings';
import { findStagingAddress } from './staging-address';

export interface GateDeps {
  api: FastlyApi;
  read(plan: ReadingPlan): Promise<Reading>;
  sleep(ms: number): Promise<void>;
  /** One line of progress for people (the CLI prints it unless --json). */
  say(line: string): void;
  /** Ctrl-C: stop before the next step, never activate, and take the version off staging. */
  signal?: AbortSignal;
}

class GateInterrupted extends Error {}

export type GateResult = 'passed' | 'activated' | 'blocked' | 'failed';

export interface GateReport {
  result: GateResult;
  /** `ok`, `auth_failed SignatureDoesNotMatch via staging`, `api_failed rate_limited ...`. */
  reason: string;
  /** What the deciding reading saw: `reading 2 of 3: served_from_cache (X-Cache: HIT)`. */
  evidence: string | null;
  serviceId: string;
  version: number;
  activeVersion: number | null;
  changes: VersionChange[] | null;
  notes: string[];
  staging: (Address & { source: 'api' | 'connect-to' }) | null;
  readings: Reading[];
  activated: boolean;
  production: Reading | null;
  stagingDeactivated: boolean;
}

/** What Fastly keeps outside service versions: staging and production share them. */
const VERSIONLESS_KINDS = 'Secret Store entries, Config Store entries, dynamic VCL snippets and edge dictionary items';

export const VERSIONLESS_NOTE = `${VERSIONLESS_KINDS} are versionless: staging reads the same ones as production, `
  + 'so a change to them is live everywhere at once and cannot be gated here (check a credential with npm run verify before writing it).';

export async function runGate(options: GateOptions, deps: GateDeps): Promise<GateReport> {
  const { api, say } = deps;
  const { serviceId, version } = options;
  const report: GateReport = {
    result: 'failed', reason: '', evidence: null, serviceId, version, activeVersion: null, changes: null, notes: [VERSIONLESS_NOTE],
    staging: null, readings: [], activated: false, production: null, stagingDeactivated: false,
  };
  let staged = false;
  const stopIfInterrupted = () => {
    if (deps.signal?.aborted) throw new GateInterrupted('interrupted');
  };
  try {
    const active = await checkVersions(api, serviceId, version);
    report.activeVersion = active;
    say(`gate: service ${serviceId}, version ${version} (active: ${active}), canary ${options.url.href}`);
    await describeChanges(api, options, active, report, say);

    report.staging = options.connectTo
      ? { ...options.connectTo, source: 'connect-to' }
      : { ...(await findStagingAddress(api, serviceId, version, options.url)), source: 'api' };
    say(`staging address: ${report.staging.host}:${report.staging.port} (${report.staging.source === 'api' ? 'staging_ip from the API' : '--connect-to'})`);

    await api.activateStaging(serviceId, version);
    staged = true;
    say(`version ${version} activated on staging${options.settleMs > 0 ? `; waiting ${options.settleMs / 1000} s for it to reach the staging POPs` : ''}`);
    await deps.sleep(options.settleMs);

    for (let n = 1; n <= options.confirm; n++) {
      if (n > 1) await deps.sleep(options.intervalMs);
      stopIfInterrupted();
      const reading = await deps.read({ url: options.url, connectTo: report.staging, judgement: options.judgement, deadlineMs: options.deadlineMs });
      report.readings.push(reading);
      say(`reading ${n}/${options.confirm} via staging: ${reading.status} ${describeReading(reading)}`);
    }
    const failed = report.readings.find((r) => r.status !== 'pass');
    if (failed) {
      report.result = 'blocked';
      report.reason = `${failed.reason}${failed.errorCode ? ` ${failed.errorCode}` : ''} via staging`;
      report.evidence = `reading ${report.readings.indexOf(failed) + 1} of ${options.confirm}: ${describeReading(failed)}`;
      return report;
    }
    if (!options.activate) {
      report.result = 'passed';
      report.reason = 'ok';
      say(`passed: ${options.confirm} of ${options.confirm} readings through staging; not activated (no --activate). Version ${version} stays on staging.`);
      return report;
    }
    stopIfInterrupted();
    await api.activate(serviceId, version);
    report.activated = true;
    say(`version ${version} activated on production`);
    await deps.sleep(options.settleMs);
    report.production = await deps.read({ url: options.url, connectTo: null, judgement: options.judgement, deadlineMs: options.deadlineMs });
    say(`reading through production: ${report.production.status} ${describeReading(report.production)}`);
    if (report.production.status === 'pass') {
      report.result = 'activated';
      report.reason = 'ok';
    } else {
      report.result = 'failed';
      report.reason = `${report.production.reason}${report.production.errorCode ? ` ${report.production.errorCode}` : ''} via production after activation`;
      report.evidence = `reading through production: ${describeReading(report.production)}`;
      report.notes.push(`production fails after activating ${version}: roll back with  fastly service-version activate --service-id ${serviceId} --version ${active}`);
    }
    return report;
  } catch (error) {
    if (error instanceof GateInterrupted) {
      report.result = 'failed';
      report.reason = `interrupted after ${report.readings.length} of ${options.confirm} readings`;
      return report;
    }
    if (!(error instanceof FastlyApiError)) throw error;
    report.result = 'failed';
    report.reason = `api_failed ${error.message}`;
    return report;
  } finally {
    if (staged && !report.activated && report.result !== 'passed') {
      report.stagingDeactivated = await deactivate(api, serviceId, version, report);
      if (report.stagingDeactivated) say(`version ${version} deactivated on staging`);
    }
  }
}

/** The active version; a version that cannot be gated is a usage error, not a failed gate. */
async function checkVersions(api: FastlyApi, serviceId: string, version: number): Promise<number> {
  const versions = await api.listVersions(serviceId);
  const latest = Math.max(0, ...versions.map((v) => v.number));
  if (!versions.some((v) => v.number === version)) {
    throw new UsageError(`service ${serviceId} has no version ${version} (latest is ${latest})`);
  }
  const active = versions.find((v) => v.active);
  if (!active) throw new UsageError(`service ${serviceId} has no active version: Fastly stages only services with a production version`);
  if (active.number === version) {
    // Deliberately exit 1, not 0: nothing was read through staging, so nothing may claim "passed". A
    // pipeline whose apply built no new draft skips the gate instead (deploy/pipelines/github-actions.yml).
    throw new UsageError(`version ${version} is already active on production: nothing to gate (a pipeline that built no new draft should skip the gate; to check production now, fetch the canary URL or the canary service's /health)`);
  }
  return active.number;
}

async function describeChanges(api: FastlyApi, options: GateOptions, active: number, report: GateReport, say: (line: string) => void): Promise<void> {
  try {
    report.changes = summarizeDiff(await api.diff(options.serviceId, active, options.version));
  } catch (error) {
    if (!(error instanceof FastlyApiError)) throw error;
    report.notes.push(`what changed is unknown: ${error.message}`);
    say(`changes ${active} -> ${options.version}: unknown (${error.message})`);
    return;
  }
  say(`changes ${active} -> ${options.version} (names and kinds only, values are never shown):`);
  for (const change of report.changes) say(`  ${describeChange(change)}`);
  if (report.changes.length === 0) {
    say('  none: no versioned change');
    report.notes.push(`no versioned change between ${active} and ${options.version}: if this release changes one of the ${VERSIONLESS_KINDS}, staging cannot test it, and it is live on production already`);
  }
  say(`note: ${VERSIONLESS_NOTE}`);
}

async function deactivate(api: FastlyApi, serviceId: string, version: number, report: GateReport): Promise<boolean> {
  try {
    await api.deactivateStaging(serviceId, version);
    return true;
  } catch (error) {
    if (!(error instanceof FastlyApiError)) throw error;
    report.notes.push(`version ${version} could not be taken off staging: ${error.message}; run  fastly service-version unstage --service-id ${serviceId} --version ${version}`);
    return false;
  }
}

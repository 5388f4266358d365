/**
 * The deep check behind /health and /metrics: load and validate the configuration and secrets, then
 * (at most once per `result_ttl_ms`, shared by concurrent requests) probe every target inside one
 * deadline and aggregate the verdict.
 */
import type { CanaryConfig } from './config';
import { lastValueCache } from './last-value';
import { loadSettings, type Loaded, type Settings } from './load-settings';
import type { OriginConfig } from './origins';
import { probeEdge, probeOrigin } from './probe';
import { STATUS_NOTE_PREFIX, trackStatusSince } from './since';
import { sha256Hex } from './sign/hmac';
import { buildReport, misconfiguredReport } from './verdict';
import type { Platform, ProbeSettings, Report, TargetContext } from './types';

export async function runHealthCheck(platform: Platform): Promise<Report> {
  const started = platform.now();
  return checkWithSettings(platform, await loadSettings(platform), started);
}

/**
 * The check with settings already loaded (the fleet check loads them once for itself and the local
 * check). `notePrefix`: where this check keeps its status memory (the inner check of a shield keeps
 * its own).
 */
export async function checkWithSettings(platform: Platform, loaded: Loaded, started: number, notePrefix = STATUS_NOTE_PREFIX): Promise<Report> {
  if (!loaded.ok) {
    const report = misconfiguredAt(platform, loaded.errors, started);
    logOutcome(platform, report);
    return withSince(platform, report, notePrefix);
  }
  const { config } = loaded.settings;
  const key = `edge-canary/v1/${await settingsDigest(loaded.settings)}`;
  const { value, shared } = await platform.memo(
    key,
    config.resultTtlMs,
    async (): Promise<Report> => {
      const report = await probeAll(platform, loaded.settings);
      logOutcome(platform, report);
      // Inside the memo: one note update per check, and every request sharing it shows the same since.
      return { ...await withSince(platform, report, notePrefix), ...reportSettings(loaded.settings) };
    },
    (report) => JSON.stringify(report),
    (text) => JSON.parse(text) as Report,
  );
  return { ...value, shared };
}

/** The report of a check that could not start (nothing was fetched), timed from `started`. */
export function misconfiguredAt(platform: Platform, errors: string[], started: number): Report {
  return misconfiguredReport(errors, {
    pop: platform.pop(), releaseId: platform.releaseId(), checkedAt: new Date(started).toISOString(),
    durationMs: platform.now() - started, credential: null,
  });
}

/** The report with this POP's memory of since when it has had that status, kept under `notePrefix`. */
export async function withSince(platform: Platform, report: Report, notePrefix: string): Promise<Report> {
  return { ...report, since: await trackStatusSince(platform, report.status, report.checkedAt, notePrefix) };
}

async function probeAll(platform: Platform, settings: Settings): Promise<Report> {
  const started = platform.now();
  const deadlineAt = started + settings.config.deadlineMs;
  const edgeUrl = settings.config.edgeUrl;
  // Every origin and the edge at once, each with its own credential, all inside the one deadline.
  const results = await Promise.all([
    ...settings.origins.map(({ origin, credentials }) => probeOrigin({ platform, config: settings.config, origin, credentials, deadlineAt })),
    ...(edgeUrl ? [probeEdge({ platform, config: settings.config, deadlineAt }, edgeUrl)] : []),
  ]);
  return buildReport(results, {
    pop: platform.pop(),
    releaseId: platform.releaseId(),
    checkedAt: new Date(started).toISOString(),
    durationMs: platform.now() - started,
    credential: settings.credential,
  });
}

function probeSettings(config: CanaryConfig, origin: OriginConfig): ProbeSettings {
  const { deadlineMs, edgeUrl } = config;
  const { bucket, object, signing, originHost, urlStyle, region, provider } = origin;
  // The flat form's settings stay exactly what they were (no provider: it is always GCS there).
  return { bucket, object, signing, originHost, urlStyle, region, deadlineMs, edgeUrl, ...(origin.entry === null ? {} : { provider }) };
}

/** The primary's settings as `settings`; with `origins`, each origin's settings and credential by target. */
export function reportSettings(settings: Settings): Pick<Report, 'settings' | 'targets'> {
  const primary = settings.origins[0]!.origin;
  if (primary.entry === null) return { settings: probeSettings(settings.config, primary) };
  const targets: Record<string, TargetContext> = {};
  for (const { origin, credential } of settings.origins) targets[origin.target] = { settings: probeSettings(settings.config, origin), credential };
  return { settings: probeSettings(settings.config, primary), targets };
}

const digestOf = lastValueCache(async (material) => (await sha256Hex(material)).slice(0, 16));

/** A change of configuration or credential must never be answered from a result taken before it. */
export function settingsDigest(settings: Settings): Promise<string> {
  return digestOf(JSON.stringify([settings.config, settings.origins.map((origin) => origin.credential)]));
}

/** The log line's verdict fields, the same for the POP's check and the fleet's ("Probe failed", "Fleet probe failed"). */
export function outcomeLogFields(report: Report, what: 'Probe' | 'Fleet probe'): Record<string, unknown> {
  return {
    msg: `${what} ${report.status === 'fail' ? 'failed' : 'succeeded'}`,
    status: report.status,
    reason: report.reason,
    output: report.output,
    pop: report.pop,
    duration_ms: report.durationMs,
  };
}

function logOutcome(platform: Platform, report: Report): void {
  platform.log({
    ...outcomeLogFields(report, 'Probe'),
    checks: report.results.map((r) => ({
      target: r.fetch.target, reason: r.fetch.reason, http_status: r.fetch.httpStatus,
      error_code: r.fetch.errorCode, attempts: r.fetch.attempts, duration_ms: r.fetch.durationMs,
      age_seconds: r.freshness.ageSeconds,
    })),
  });
}

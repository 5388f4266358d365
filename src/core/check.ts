/**
 * The deep check behind /health and /metrics: load and validate the configuration and secrets, then
 * (at most once per `result_ttl_ms`, shared by concurrent requests) probe every target inside one
 * deadline and aggregate the verdict.
 */
import { parseConfig, type CanaryConfig } from './config';
import { lastValueCache } from './last-value';
import { probeEdge, probeOrigin, type Credentials } from './probe';
import { describeCredentialOnce, hideCredentials, readCredentials } from './secrets';
import { sha256Hex } from './sign/hmac';
import { buildReport, misconfiguredReport } from './verdict';
import {
  BACKEND_EDGE, BACKEND_GCS, CONFIG_STORE, StoreReadError, type Credential, type Platform, type Report,
} from './types';

interface Settings {
  config: CanaryConfig;
  credentials: Credentials | null;
  credential: Credential | null;
}

export async function runHealthCheck(platform: Platform): Promise<Report> {
  const started = platform.now();
  const loaded = await loadSettings(platform);
  if (!loaded.ok) {
    const report = misconfiguredReport(loaded.errors, {
      pop: platform.pop(), releaseId: platform.releaseId(), checkedAt: new Date(started).toISOString(),
      durationMs: platform.now() - started, credential: null,
    });
    logOutcome(platform, report);
    return report;
  }
  const { config } = loaded.settings;
  const key = `edge-canary/v1/${await settingsDigest(loaded.settings)}`;
  const { value, shared } = await platform.memo(
    key,
    config.resultTtlMs,
    async () => {
      const report = await probeAll(platform, loaded.settings);
      logOutcome(platform, report);
      return report;
    },
    (report) => JSON.stringify(report),
    (text) => JSON.parse(text) as Report,
  );
  return { ...value, shared };
}

async function probeAll(platform: Platform, settings: Settings): Promise<Report> {
  const started = platform.now();
  const input = { platform, config: settings.config, credentials: settings.credentials, deadlineAt: started + settings.config.deadlineMs };
  const edgeUrl = settings.config.edgeUrl;
  const results = await Promise.all([probeOrigin(input), ...(edgeUrl ? [probeEdge(input, edgeUrl)] : [])]);
  return buildReport(results, {
    pop: platform.pop(),
    releaseId: platform.releaseId(),
    checkedAt: new Date(started).toISOString(),
    durationMs: platform.now() - started,
    credential: settings.credential,
  });
}

type Loaded = { ok: true; settings: Settings } | { ok: false; errors: string[] };

async function loadSettings(platform: Platform): Promise<Loaded> {
  const store = platform.configStore();
  if (!store) return { ok: false, errors: [`config store ${CONFIG_STORE}: not found (link it to this service)`] };
  let parsed: ReturnType<typeof parseConfig>;
  try {
    parsed = parseConfig(store);
  } catch (error) {
    if (error instanceof StoreReadError) return { ok: false, errors: [error.message] };
    throw error;
  }
  const errors = parsed.ok ? [] : [...parsed.errors];
  const config = parsed.ok ? parsed.config : null;

  if (platform.hasBackend && !platform.hasBackend(BACKEND_GCS)) {
    errors.push(`backend ${BACKEND_GCS}: not defined (add the bucket host as backend "${BACKEND_GCS}")`);
  }
  if (config?.edgeUrl && platform.hasBackend && !platform.hasBackend(BACKEND_EDGE)) {
    errors.push(`edge_url: set, but backend ${BACKEND_EDGE} is not defined`);
  }

  let credentials: Credentials | null = null;
  let credentialValues: string[] = [];
  const signing = config?.signing ?? store.get('signing')?.trim() ?? 'goog4';
  if (signing !== 'none') {
    const secrets = await readCredentials(platform).catch((error: unknown) => {
      if (error instanceof StoreReadError) return { ok: false as const, errors: [error.message], values: [] };
      throw error;
    });
    credentialValues = secrets.values;
    if (secrets.ok) credentials = secrets.credentials;
    else errors.push(...secrets.errors);
  }
  if (errors.length > 0 || !config) return { ok: false, errors: errors.map((error) => hideCredentials(error, credentialValues)) };
  const credential = credentials ? await describeCredentialOnce(credentials) : null;
  return { ok: true, settings: { config, credentials, credential } };
}

const digestOf = lastValueCache(async (material) => (await sha256Hex(material)).slice(0, 16));

/** A change of configuration or credential must never be answered from a result taken before it. */
function settingsDigest(settings: Settings): Promise<string> {
  return digestOf(JSON.stringify([settings.config, settings.credential]));
}

function logOutcome(platform: Platform, report: Report): void {
  platform.log({
    msg: report.status === 'fail' ? 'Probe failed' : 'Probe succeeded',
    status: report.status,
    reason: report.reason,
    output: report.output,
    pop: report.pop,
    duration_ms: report.durationMs,
    checks: report.results.map((r) => ({
      target: r.fetch.target, reason: r.fetch.reason, http_status: r.fetch.httpStatus,
      error_code: r.fetch.errorCode, attempts: r.fetch.attempts, duration_ms: r.fetch.durationMs,
      age_seconds: r.freshness.ageSeconds,
    })),
  });
}

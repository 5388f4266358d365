/**
 * The deep check behind /health and /metrics: load and validate the configuration and secrets, then
 * (at most once per `result_ttl_ms`, shared by concurrent requests) probe every target inside one
 * deadline and aggregate the verdict.
 */
import { parseConfig, type CanaryConfig } from './config';
import { describeCredential } from './credential';
import { probeEdge, probeOrigin, type Credentials } from './probe';
import { buildReport, misconfiguredReport } from './verdict';
import {
  BACKEND_EDGE, BACKEND_GCS, CONFIG_STORE, SECRET_ACCESS_ID, SECRET_SECRET, SECRET_STORE, StoreMissingError,
  type Credential, type Platform, type Report,
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
  const parsed = parseConfig(store);
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
  const signing = config?.signing ?? store.get('signing') ?? 'goog4';
  if (signing !== 'none') {
    const secrets = await readCredentials(platform);
    credentialValues = secrets.values;
    if (secrets.ok) credentials = secrets.credentials;
    else errors.push(...secrets.errors);
  }
  if (errors.length > 0 || !config) return { ok: false, errors: errors.map((error) => hideCredentials(error, credentialValues)) };
  const credential = credentials ? await describeCredentialOnce(credentials) : null;
  return { ok: true, settings: { config, credentials, credential } };
}

type ReadCredentials = ({ ok: true; credentials: Credentials } | { ok: false; errors: string[] }) & {
  /** Whatever was read, so error messages can be kept free of it. */
  values: string[];
};

async function readCredentials(platform: Platform): Promise<ReadCredentials> {
  let accessId: string | null;
  let secret: string | null;
  try {
    accessId = await platform.readSecret(SECRET_ACCESS_ID);
    secret = await platform.readSecret(SECRET_SECRET);
  } catch (error) {
    if (error instanceof StoreMissingError) return { ok: false, errors: [`secret store ${SECRET_STORE}: not found (link it to this service)`], values: [] };
    throw error;
  }
  const values = [accessId, secret].filter((value): value is string => value !== null);
  const errors: string[] = [];
  for (const [name, value] of [[SECRET_ACCESS_ID, accessId], [SECRET_SECRET, secret]] as const) {
    if (value === null) errors.push(`${name}: missing from secret store ${SECRET_STORE}`);
    else if (value.trim() === '') errors.push(`${name}: is empty in secret store ${SECRET_STORE}`);
  }
  if (errors.length > 0 || accessId === null || secret === null) return { ok: false, errors, values };
  // Used byte for byte, like production uses it: a stray newline must break the canary too.
  return { ok: true, credentials: { accessId, secret }, values };
}

const CREDENTIAL_WINDOW = 8;

/**
 * A credential pasted into the wrong config key would otherwise be echoed by the public /health
 * (config messages quote the bad value, possibly cut short): every run of characters that shares
 * CREDENTIAL_WINDOW or more consecutive characters with a credential is replaced.
 */
function hideCredentials(message: string, credentials: readonly string[]): string {
  let hidden = message;
  for (const credential of credentials) {
    const covered = new Array<boolean>(hidden.length).fill(false);
    for (let i = 0; i + CREDENTIAL_WINDOW <= credential.length; i++) {
      const piece = credential.slice(i, i + CREDENTIAL_WINDOW);
      for (let at = hidden.indexOf(piece); at !== -1; at = hidden.indexOf(piece, at + 1)) covered.fill(true, at, at + CREDENTIAL_WINDOW);
    }
    hidden = hidden.replace(/[\s\S]/g, (char, index: number) => (!covered[index] ? char : covered[index - 1] ? '' : '[credential hidden]'));
  }
  return hidden;
}

/**
 * The last answer of an async derivation, kept while its input stays the same: the settings of a
 * canary rarely change, and each crypto.subtle call is a round trip to a worker thread that every
 * /health would otherwise pay for (see `npm run bench`, overhead).
 */
function lastValueCache<T>(derive: (input: string) => Promise<T>): (input: string) => Promise<T> {
  let last: { input: string; value: Promise<T> } | null = null;
  return (input) => {
    if (last?.input !== input) {
      const value = derive(input);
      last = { input, value };
      // A failed derivation must not be remembered.
      value.catch(() => {
        if (last?.value === value) last = null;
      });
    }
    return last.value;
  };
}

const fingerprintOf = lastValueCache(async (material) => {
  const { accessId, secret } = JSON.parse(material) as Credentials;
  return describeCredential(accessId, secret);
});

function describeCredentialOnce(credentials: Credentials): Promise<Credential> {
  return fingerprintOf(JSON.stringify({ accessId: credentials.accessId, secret: credentials.secret }));
}

const digestOf = lastValueCache(async (material) => {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(material)));
  return Array.from(digest.slice(0, 8), (b) => b.toString(16).padStart(2, '0')).join('');
});

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

/**
 * The two watchers of the incident: a classic uptime monitor that GETs a package file through the
 * CDN (what PyPI had), and a poll of the canary's /health (what it lacked). Each probe returns a
 * short summary for the timeline; neither throws.
 */

export interface Observation {
  /** Milliseconds since the scenario started, when the answer arrived. */
  at: number;
  ok: boolean;
  httpStatus: number | null;
  /** e.g. `200 (cache HIT)` or `503 auth_failed SignatureDoesNotMatch (origin, edge) -> major_outage`. */
  summary: string;
}

/** What the classic monitor saw beyond the status: the headers that say how the CDN answered. */
export interface ClassicObservation extends Observation {
  /** X-Cache names a HIT: the CDN answered from its cache without asking a bucket. */
  fromCache: boolean;
  /** Fastly-Restarts is present: the CDN restarted the request onto its fallback. */
  restarted: boolean;
}

export interface CanaryObservation extends Observation {
  status: string | null;
  reason: string | null;
  errorCode: string | null;
  statuspage: string | null;
  /** Targets whose fetch check failed, e.g. ['origin', 'edge']. */
  failing: string[];
  /** Each failing target's reason, e.g. { 'origin:primary': 'auth_failed', edge: 'served_by_fallback' }. */
  failingReasons: Record<string, string>;
}

const PROBE_TIMEOUT_MS = 5000;

export async function probeClassic(url: string, clock: () => number): Promise<ClassicObservation> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    await response.arrayBuffer();
    const cache = response.headers.get('x-cache');
    // A restart is invisible to a status-code monitor; the timeline shows it so the viewer sees why it stays green.
    const restarted = response.headers.has('fastly-restarts');
    const fromCache = (cache ?? '').split(',').some((entry) => entry.trim() === 'HIT');
    const notes = [cache ? `cache ${cache}` : null, restarted ? 'from the fallback' : null].filter((note) => note !== null);
    const summary = `${response.status}${notes.length > 0 ? ` (${notes.join(', ')})` : ''}`;
    return { at: clock(), ok: response.status === 200, httpStatus: response.status, summary, fromCache, restarted };
  } catch (error) {
    return { at: clock(), ok: false, httpStatus: null, summary: `no answer (${describe(error)})`, fromCache: false, restarted: false };
  }
}

interface HealthBody {
  status?: string;
  reason?: string;
  statuspage?: string;
  checks?: Record<string, { reason?: string; errorCode?: string | null; status?: string }[]>;
}

export async function probeCanary(healthUrl: string, clock: () => number): Promise<CanaryObservation> {
  const empty = { status: null, reason: null, errorCode: null, statuspage: null, failing: [], failingReasons: {} };
  let response: Response;
  let body: HealthBody;
  try {
    response = await fetch(healthUrl, { headers: { accept: 'application/health+json' }, signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    body = (await response.json()) as HealthBody;
  } catch (error) {
    return { at: clock(), ok: false, httpStatus: null, summary: `no answer (${describe(error)})`, ...empty };
  }
  const failedFetches = Object.entries(body.checks ?? {})
    .filter(([name, results]) => name.endsWith(':fetch') && results[0]?.status === 'fail')
    .map(([name, results]) => ({ target: name.slice(0, -':fetch'.length), reason: results[0]?.reason ?? '?', errorCode: results[0]?.errorCode ?? null }));
  const errorCode = failedFetches.find((f) => f.errorCode)?.errorCode ?? null;
  const failing = failedFetches.map((f) => f.target);
  const parts = [String(response.status)];
  if (failing.length === 0) parts.push(body.reason === 'ok' ? (body.status ?? '') : (body.reason ?? ''));
  else parts.push(failureGroups(failedFetches));
  parts.push(`-> ${body.statuspage ?? '?'}`);
  return {
    at: clock(),
    ok: response.status === 200,
    httpStatus: response.status,
    summary: parts.join(' '),
    status: body.status ?? null,
    reason: body.reason ?? null,
    errorCode,
    statuspage: body.statuspage ?? null,
    failing,
    failingReasons: Object.fromEntries(failedFetches.map((f) => [f.target, f.reason])),
  };
}

/** Targets failing the same way share a group: `auth_failed SignatureDoesNotMatch (origin, edge)`, `auth_failed ... (origin:primary), served_by_fallback (edge)`. */
function failureGroups(failed: readonly { target: string; reason: string; errorCode: string | null }[]): string {
  const groups = new Map<string, string[]>();
  for (const f of failed) {
    const key = f.errorCode ? `${f.reason} ${f.errorCode}` : f.reason;
    groups.set(key, [...(groups.get(key) ?? []), f.target]);
  }
  return [...groups].map(([key, targets]) => `${key} (${targets.join(', ')})`).join(', ');
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
}

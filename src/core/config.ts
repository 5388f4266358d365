/**
 * The canary's settings, decoded from the Config Store `canary_config` (DESIGN.md §5): defaults
 * first, then strict decoding (unknown keys rejected where the store can be listed), then
 * validation. Every problem names its key and the value that was given.
 */
import {
  SIGNING_SCHEMES, URL_STYLES, checkBucket, checkHost, checkObject, checkRegion, checkVirtualStyle, quote, type OriginLocation,
} from './origin-fields';
import { SHIELDS_KEY } from './fleet/shields-config';
import { parseOrigins, type OriginConfig } from './origins';
import { BACKEND_GCS, SECRET_ACCESS_ID, SECRET_SECRET, type KeyValueSource } from './types';

export { quote } from './origin-fields';

/** The location fields are the primary's (with the flat keys, the only origin's): what the one-origin tools read. */
export interface CanaryConfig extends OriginLocation {
  warnAgeSeconds: number;
  maxAgeSeconds: number;
  attempts: number;
  deadlineMs: number;
  resultTtlMs: number;
  edgeUrl: string | null;
  /** Response header in which the production CDN names the backend that served the canary. */
  edgeBackendHeader: string | null;
  /** The value that header must have; anything else is a fallback. */
  edgeExpectedBackend: string | null;
  /** Every origin to check, primary first: one entry `origin` from the flat keys, or the `origins` list. */
  origins: OriginConfig[];
}

export type ConfigResult = { ok: true; config: CanaryConfig } | { ok: false; errors: string[] };

export const CONFIG_KEYS = [
  'bucket', 'object', 'signing', 'origin_host', 'url_style', 'region', 'warn_age_seconds',
  'max_age_seconds', 'attempts', 'deadline_ms', 'result_ttl_ms', 'edge_url', 'edge_backend_header',
  'edge_expected_backend', 'origins',
] as const;
/** The flat keys that say where the one origin is; with `origins` each entry says it instead. */
export const FLAT_ORIGIN_KEYS = ['bucket', 'object', 'signing', 'origin_host', 'url_style', 'region'] as const;
type ConfigKey = (typeof CONFIG_KEYS)[number];

const DEFAULTS: Partial<Record<ConfigKey, string>> = {
  signing: 'goog4',
  origin_host: 'storage.googleapis.com',
  url_style: 'path',
  region: 'auto',
  warn_age_seconds: '300',
  max_age_seconds: '900',
  attempts: '2',
  deadline_ms: '8000',
  result_ttl_ms: '5000',
};

const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}$/;

export function parseConfig(source: KeyValueSource): ConfigResult {
  const errors: string[] = [];
  // `shields` is the fleet check's (src/core/fleet): known here, read only there.
  const knownKeys = [...CONFIG_KEYS, SHIELDS_KEY];
  const known = new Set<string>(knownKeys);
  for (const key of source.keys?.() ?? []) {
    if (!known.has(key)) errors.push(`${key}: unknown key (known keys: ${knownKeys.join(', ')})`);
  }
  const raw = (key: ConfigKey): string | null => {
    const value = source.get(key);
    if (value === null || value === undefined) return DEFAULTS[key] ?? null;
    return value.trim();
  };
  const required = (key: ConfigKey): string => {
    const value = raw(key);
    if (value === null) errors.push(`${key}: required, not set`);
    else if (value === '') errors.push(`${key}: required, is empty`);
    return value ?? '';
  };
  const oneOf = <T extends string>(key: ConfigKey, allowed: readonly T[]): T => {
    const value = raw(key) ?? '';
    if ((allowed as readonly string[]).includes(value)) return value as T;
    errors.push(`${key}: must be one of ${allowed.join(', ')} (got ${quote(value)})`);
    return allowed[0]!;
  };
  const integer = (key: ConfigKey, min: number, max: number): number => {
    const value = raw(key) ?? '';
    if (!/^\d+$/.test(value)) {
      errors.push(`${key}: must be a whole number from ${min} to ${max} (got ${quote(value)})`);
      return min;
    }
    const n = Number(value);
    if (n < min || n > max) errors.push(`${key}: must be from ${min} to ${max} (got ${n})`);
    return n;
  };

  const originsText = source.get('origins');
  const origins = originsText === null || originsText === undefined
    ? flatOrigin(raw, required, oneOf, errors)
    : listedOrigins(originsText, source, errors);
  const warnAgeSeconds = integer('warn_age_seconds', 1, 604_800);
  const maxAgeSeconds = integer('max_age_seconds', 1, 604_800);
  if (maxAgeSeconds < warnAgeSeconds) {
    errors.push(`max_age_seconds: must not be below warn_age_seconds (got ${maxAgeSeconds} < ${warnAgeSeconds})`);
  }
  const attempts = integer('attempts', 1, 5);
  const deadlineMs = integer('deadline_ms', 100, 60_000);
  const resultTtlMs = integer('result_ttl_ms', 0, 600_000);
  // Compute's SimpleCache keeps entries for whole seconds (it truncates the ttl), so anything else would mean one thing on Fastly and another locally.
  if (resultTtlMs <= 600_000 && resultTtlMs % 1000 !== 0) errors.push(`result_ttl_ms: must be 0 or whole seconds, a multiple of 1000 (got ${resultTtlMs})`);
  const edgeUrl = parseEdgeUrl(raw('edge_url'), errors);
  const { edgeBackendHeader, edgeExpectedBackend } = parseEdgeBackend(raw('edge_backend_header'), raw('edge_expected_backend'), edgeUrl, errors);

  const primary = origins?.[0];
  if (errors.length > 0 || !primary) return { ok: false, errors };
  const { bucket, object, signing, originHost, urlStyle, region } = primary;
  return {
    ok: true,
    config: {
      bucket, object, signing, originHost, urlStyle, region,
      warnAgeSeconds, maxAgeSeconds, attempts, deadlineMs, resultTtlMs, edgeUrl, edgeBackendHeader, edgeExpectedBackend,
      origins,
    },
  };
}

type Raw = (key: ConfigKey) => string | null;

/** The one-origin form, exactly as before `origins` existed: backend gcs, secrets hmac_access_id/hmac_secret. */
function flatOrigin(raw: Raw, required: Raw, oneOf: <T extends string>(key: ConfigKey, allowed: readonly T[]) => T, errors: string[]): OriginConfig[] {
  const bucket = required('bucket') ?? '';
  checkBucket('bucket', bucket, 'GCS bucket', errors);
  const object = required('object') ?? '';
  checkObject('object', object, errors);
  const signing = oneOf('signing', SIGNING_SCHEMES);
  const originHost = raw('origin_host') ?? '';
  checkHost('origin_host', originHost, errors);
  const urlStyle = oneOf('url_style', URL_STYLES);
  checkVirtualStyle('url_style', urlStyle, bucket, errors);
  const region = raw('region') ?? '';
  checkRegion('region', region, errors);
  return [{
    target: 'origin', role: 'primary', entry: null, backend: BACKEND_GCS, bucket, object, signing, originHost: originHost.toLowerCase(),
    urlStyle, region, provider: 'gcs', secretNames: signing === 'none' ? null : { accessId: SECRET_ACCESS_ID, secret: SECRET_SECRET },
  }];
}

/** The `origins` form; a flat origin key beside it would be silently ignored, so it is an error naming both. */
function listedOrigins(text: string, source: KeyValueSource, errors: string[]): OriginConfig[] | null {
  const flat = FLAT_ORIGIN_KEYS.filter((key) => (source.get(key) ?? null) !== null);
  if (flat.length > 0) {
    errors.push(`origins: set together with ${flat.join(', ')}: use one form, either origins (each entry has its own bucket, object, signing, host, url_style and region) or the flat keys; remove ${flat.join(', ')}`);
  }
  const parsed = parseOrigins(text);
  if (!parsed.ok) {
    errors.push(...parsed.errors);
    return null;
  }
  return parsed.origins;
}

function parseEdgeUrl(value: string | null, errors: string[]): string | null {
  if (value === null || value === '') return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    errors.push(`edge_url: not an absolute URL (got ${quote(value)})`);
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    errors.push(`edge_url: must be an http or https URL (got ${quote(value)})`);
    return null;
  }
  if (url.username || url.password) {
    errors.push('edge_url: must not contain credentials');
    return null;
  }
  return url.href;
}

function parseEdgeBackend(header: string | null, expected: string | null, edgeUrl: string | null, errors: string[]) {
  const none = { edgeBackendHeader: null, edgeExpectedBackend: null };
  if (!header && !expected) return none;
  if (!header || !expected) {
    errors.push(`${header ? 'edge_expected_backend' : 'edge_backend_header'}: required when ${header ? 'edge_backend_header' : 'edge_expected_backend'} is set`);
    return none;
  }
  if (!HEADER_NAME.test(header)) {
    errors.push(`edge_backend_header: not a valid header name (got ${quote(header)})`);
    return none;
  }
  if (!edgeUrl) errors.push('edge_backend_header: only meaningful with edge_url set');
  return { edgeBackendHeader: header.toLowerCase(), edgeExpectedBackend: expected };
}

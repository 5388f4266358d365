/**
 * The canary's settings, decoded from the Config Store `canary_config` (DESIGN.md §5): defaults
 * first, then strict decoding (unknown keys rejected where the store can be listed), then
 * validation. Every problem names its key and the value that was given.
 */
import type { KeyValueSource } from './types';
import type { SigningScheme, UrlStyle } from './sign';

export interface CanaryConfig {
  bucket: string;
  object: string;
  signing: SigningScheme;
  originHost: string;
  urlStyle: UrlStyle;
  region: string;
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
}

export type ConfigResult = { ok: true; config: CanaryConfig } | { ok: false; errors: string[] };

export const CONFIG_KEYS = [
  'bucket', 'object', 'signing', 'origin_host', 'url_style', 'region', 'warn_age_seconds',
  'max_age_seconds', 'attempts', 'deadline_ms', 'result_ttl_ms', 'edge_url', 'edge_backend_header',
  'edge_expected_backend',
] as const;
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

const SIGNING_SCHEMES: readonly SigningScheme[] = ['goog4', 'aws4', 'v2', 'none'];
const URL_STYLES: readonly UrlStyle[] = ['path', 'virtual'];
const BUCKET_NAME = /^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/;
const HOST_AND_PORT = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?$/i;
const REGION = /^[a-z0-9-]{1,64}$/;
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}$/;
// Control characters and wildcard-looking characters never name the canary object.
const OBJECT_FORBIDDEN = /[\u0000-\u001f\u007f-\u009f#*?[\]]/;

/** Shows a bad value inline, shortened so a pasted secret or essay never fills a report. */
export function quote(value: string): string {
  const shown = value.length > 64 ? `${value.slice(0, 61)}...` : value;
  return JSON.stringify(shown);
}

export function parseConfig(source: KeyValueSource): ConfigResult {
  const errors: string[] = [];
  const known = new Set<string>(CONFIG_KEYS);
  for (const key of source.keys?.() ?? []) {
    if (!known.has(key)) errors.push(`${key}: unknown key (known keys: ${CONFIG_KEYS.join(', ')})`);
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

  const bucket = required('bucket');
  if (bucket && !BUCKET_NAME.test(bucket)) {
    errors.push(`bucket: not a valid GCS bucket name (got ${quote(bucket)})`);
  }
  const object = required('object');
  const dotSegment = object.split('/').some((segment) => segment === '.' || segment === '..');
  if (object && (OBJECT_FORBIDDEN.test(object) || object.startsWith('/') || dotSegment || new TextEncoder().encode(object).length > 1024)) {
    errors.push(`object: must be a plain object name without control characters, wildcards, '#', '.' or '..' segments or a leading '/' (got ${quote(object)})`);
  }
  const signing = oneOf('signing', SIGNING_SCHEMES);
  const originHost = raw('origin_host') ?? '';
  const port = originHost.includes(':') ? Number(originHost.slice(originHost.lastIndexOf(':') + 1)) : 443;
  if (!HOST_AND_PORT.test(originHost) || port < 1 || port > 65535) {
    errors.push(`origin_host: must be a host name with an optional port, no scheme or path (got ${quote(originHost)})`);
  }
  const urlStyle = oneOf('url_style', URL_STYLES);
  if (urlStyle === 'virtual' && bucket.includes('.')) {
    errors.push(`url_style: virtual cannot be used with a bucket name containing dots: the TLS certificate would not match (bucket ${quote(bucket)})`);
  }
  const region = raw('region') ?? '';
  if (!REGION.test(region)) errors.push(`region: must be a region name such as auto or us-east1 (got ${quote(region)})`);
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

  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    config: {
      bucket, object, signing, originHost: originHost.toLowerCase(), urlStyle, region,
      warnAgeSeconds, maxAgeSeconds, attempts, deadlineMs, resultTtlMs, edgeUrl, edgeBackendHeader, edgeExpectedBackend,
    },
  };
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

/**
 * The `origins` config value: one JSON array (one Config Store lookup) listing the buckets the
 * production CDN reads, a primary and up to three fallbacks, each with its backend, signing and
 * credential. Strict decoding (unknown fields rejected), defaults like the flat keys, and every
 * error naming the entry and field: `origins[1].region: ...`. See docs/origins.md.
 */
import {
  SIGNING_SCHEMES, URL_STYLES, checkBucket, checkHost, checkObject, checkRegion, checkVirtualStyle, quote, type OriginLocation,
} from './origin-fields';
import type { SigningScheme } from './sign';
import type { BackendName, Target } from './types';

export const PROVIDERS = ['gcs', 's3', 'b2', 'r2', 'other'] as const;
/** Selects the error semantics and the integrity headers of the store. */
export type Provider = (typeof PROVIDERS)[number];
export type OriginRole = 'primary' | 'fallback';

export interface OriginConfig extends OriginLocation {
  /** `origin` for the flat one-origin keys; `origin:primary`, `origin:fallback`, `origin:fallback-2`... */
  target: Target;
  role: OriginRole;
  /** Where it was configured, for messages: `origins[1]`; null for the flat keys. */
  entry: string | null;
  backend: BackendName;
  provider: Provider;
  /** The Secret Store entries holding this origin's key; null with signing none. */
  secretNames: { accessId: string; secret: string } | null;
}

export const MAX_ORIGINS = 4;
export const GCS_HOST = 'storage.googleapis.com';
const FIELDS = ['role', 'backend', 'bucket', 'object', 'signing', 'host', 'url_style', 'region', 'provider', 'credential'] as const;
const ROLES: readonly OriginRole[] = ['primary', 'fallback'];
/** Letters, digits, `_` and `-`: what a Fastly backend or Secret Store key name can safely be. */
export const NAME = /^[A-Za-z0-9_-]{1,64}$/;

export type OriginsResult = { ok: true; origins: OriginConfig[] } | { ok: false; errors: string[] };

/** The target name of each entry: the primary, then the fallbacks in the order listed. */
function targetNames(roles: readonly (string | undefined)[]): Target[] {
  let fallbacks = 0;
  return roles.map((role): Target => {
    if (role !== 'fallback') return 'origin:primary';
    fallbacks++;
    return fallbacks === 1 ? 'origin:fallback' : `origin:fallback-${fallbacks}`;
  });
}

export function parseOrigins(text: string): OriginsResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { ok: false, errors: [`origins: not valid JSON (${error instanceof Error ? error.message : String(error)}); expected an array such as [{"role":"primary","backend":"gcs","bucket":"...","object":"..."}]`] };
  }
  if (!Array.isArray(parsed)) return { ok: false, errors: ['origins: must be a JSON array of origin objects'] };
  if (parsed.length < 1 || parsed.length > MAX_ORIGINS) {
    return { ok: false, errors: [`origins: must list 1 to ${MAX_ORIGINS} origins (got ${parsed.length})`] };
  }
  const errors: string[] = [];
  const entries = parsed.map((entry, index) => asEntry(entry, index, errors));
  const roles = entries.map((entry) => (typeof entry?.role === 'string' ? entry.role : undefined));
  const primaries = roles.filter((role) => role === 'primary').length;
  if (primaries !== 1) errors.push(`origins: exactly one entry must have "role":"primary" (got ${primaries})`);
  const names = targetNames(roles);
  const origins = entries.map((entry, index) => (entry ? decodeEntry(entry, index, names[index]!, errors) : null));
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, origins: sortPrimaryFirst(origins.filter((o): o is OriginConfig => o !== null)) };
}

function sortPrimaryFirst(origins: OriginConfig[]): OriginConfig[] {
  return [...origins.filter((o) => o.role === 'primary'), ...origins.filter((o) => o.role === 'fallback')];
}

function asEntry(entry: unknown, index: number, errors: string[]): Record<string, unknown> | null {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    errors.push(`origins[${index}]: must be an object with role, backend, bucket and object`);
    return null;
  }
  const fields = entry as Record<string, unknown>;
  for (const key of Object.keys(fields)) {
    if (!(FIELDS as readonly string[]).includes(key)) errors.push(`origins[${index}].${key}: unknown field (known fields: ${FIELDS.join(', ')})`);
  }
  return fields;
}

function decodeEntry(fields: Record<string, unknown>, index: number, target: Target, errors: string[]): OriginConfig | null {
  const at = (field: string) => `origins[${index}].${field}`;
  const before = errors.length;
  const text = (field: (typeof FIELDS)[number], fallback: string | null): string => {
    const value = fields[field];
    if (value === undefined) {
      if (fallback === null) errors.push(`${at(field)}: required, not set`);
      return fallback ?? '';
    }
    if (typeof value !== 'string') {
      errors.push(`${at(field)}: must be a string (got ${quote(JSON.stringify(value) ?? String(value))})`);
      return fallback ?? '';
    }
    const trimmed = value.trim();
    if (trimmed === '') errors.push(`${at(field)}: is empty`);
    return trimmed;
  };
  const oneOf = <T extends string>(field: (typeof FIELDS)[number], allowed: readonly T[], fallback: T | null): T => {
    const value = text(field, fallback);
    if ((allowed as readonly string[]).includes(value)) return value as T;
    if (value !== '') errors.push(`${at(field)}: must be one of ${allowed.join(', ')} (got ${quote(value)})`);
    return allowed[0]!;
  };

  const role = oneOf('role', ROLES, null);
  const backend = text('backend', null);
  if (backend && !NAME.test(backend)) errors.push(`${at('backend')}: must be a backend name of letters, digits, '_' and '-' (got ${quote(backend)})`);
  const bucket = text('bucket', null);
  const object = text('object', null);
  checkObject(at('object'), object, errors);
  const signing = oneOf('signing', SIGNING_SCHEMES, 'goog4');
  const originHost = text('host', GCS_HOST).toLowerCase();
  checkHost(at('host'), originHost, errors);
  const urlStyle = oneOf('url_style', URL_STYLES, 'path');
  checkVirtualStyle(at('url_style'), urlStyle, bucket, errors);
  const region = text('region', 'auto');
  checkRegion(at('region'), region, errors);
  const isGcsHost = originHost === GCS_HOST || originHost.endsWith(`.${GCS_HOST}`);
  const provider = fields.provider === undefined && !isGcsHost
    ? missingProvider(at('provider'), originHost, errors)
    : oneOf('provider', PROVIDERS, 'gcs');
  checkBucket(at('bucket'), bucket, provider === 'gcs' ? 'GCS bucket' : 'bucket', errors);
  checkProviderFit(at, provider, signing, region, errors);
  const secretNames = decodeCredential(fields, at('credential'), signing, errors);
  if (errors.length > before) return null;
  return { target, role, entry: `origins[${index}]`, backend, bucket, object, signing, originHost, urlStyle, region, provider, secretNames };
}

function missingProvider(field: string, host: string, errors: string[]): Provider {
  errors.push(`${field}: required when host is not ${GCS_HOST} (got host ${quote(host)}): one of ${PROVIDERS.join(', ')}; it selects the store's error codes and checksums`);
  return 'other';
}

/** Combinations the store would refuse with an error that points elsewhere than the config. */
function checkProviderFit(at: (field: string) => string, provider: Provider, signing: SigningScheme, region: string, errors: string[]): void {
  if (provider !== 'gcs' && signing === 'goog4') {
    errors.push(`${at('signing')}: goog4 is Google's scheme; provider ${provider} speaks aws4 (SigV4), so set "signing":"aws4"`);
  }
  if ((provider === 's3' || provider === 'b2') && region === 'auto') {
    errors.push(`${at('region')}: provider ${provider} signs with the bucket's region (such as ${provider === 's3' ? 'us-west-2' : 'us-east-005'}); "auto" is only for GCS and R2`);
  }
}

function decodeCredential(fields: Record<string, unknown>, field: string, signing: SigningScheme, errors: string[]) {
  const value = fields.credential;
  if (signing === 'none') {
    if (value !== undefined) errors.push(`${field}: not used with signing none (remove it, or set the signing scheme production uses)`);
    return null;
  }
  if (value === undefined) {
    errors.push(`${field}: required with signing ${signing}: a name whose secrets are <name>_access_id and <name>_secret in canary_secrets`);
    return null;
  }
  if (typeof value !== 'string' || !NAME.test(value)) {
    errors.push(`${field}: must be a name of letters, digits, '_' and '-' (got ${quote(typeof value === 'string' ? value : JSON.stringify(value) ?? '')})`);
    return null;
  }
  return { accessId: `${value}_access_id`, secret: `${value}_secret` };
}

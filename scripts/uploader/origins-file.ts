/**
 * The `origins` JSON array (docs/origins.md) as the uploader reads it, from `--origins FILE` or
 * from the manifest's `[local_server.config_stores.canary_config]` `origins` value. The same strict
 * shape as the service (unknown fields rejected, every error naming entry and field); the uploader
 * uses where each canary lives and ignores `backend` and `signing` (it writes with its own
 * credentials), and `credential` only names its environment variables.
 */
import { readFile } from 'node:fs/promises';
import { CONFIG_STORE } from '../../src/core/types';
import { loadManifest } from '../../src/node/manifest';
import { UsageError } from './errors';
import { bucketNameProblem, objectNameProblem } from './object-name';

export const ORIGIN_PROVIDERS = ['gcs', 's3', 'b2', 'r2', 'other'] as const;
export type OriginProvider = (typeof ORIGIN_PROVIDERS)[number];
const FIELDS = ['role', 'backend', 'bucket', 'object', 'signing', 'host', 'url_style', 'region', 'provider', 'credential'];
const GCS_HOST = 'storage.googleapis.com';
const MAX_ORIGINS = 4;

export interface UploadOrigin {
  /** `primary`, `fallback`, `fallback-2`...: the target name the canary reports (`origin:<name>`). */
  name: string;
  bucket: string;
  object: string;
  provider: OriginProvider;
  host: string;
  urlStyle: 'path' | 'virtual';
  region: string;
  /** Names the environment variables with this origin's key; null: the SDK's default chain. */
  credential: string | null;
}

function text(fields: Record<string, unknown>, key: string, at: string, fallback?: string): string {
  const value = fields[key];
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'string' || value.trim() === '') throw new UsageError(`${at}.${key}: ${value === undefined ? 'required, not set' : 'must be a non-empty string'}`);
  return value.trim();
}

function oneOf<T extends string>(fields: Record<string, unknown>, key: string, at: string, allowed: readonly T[], fallback?: T): T {
  const value = text(fields, key, at, fallback);
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`${at}.${key}: must be one of ${allowed.join(', ')} (got ${JSON.stringify(value)})`);
  return value as T;
}

function decodeOrigin(entry: unknown, at: string, name: string): UploadOrigin {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw new UsageError(`${at}: must be an object with role, bucket and object`);
  const fields = entry as Record<string, unknown>;
  const unknown = Object.keys(fields).find((key) => !FIELDS.includes(key));
  if (unknown !== undefined) throw new UsageError(`${at}.${unknown}: unknown field (known fields: ${FIELDS.join(', ')})`);
  for (const ignored of ['backend', 'signing']) if (fields[ignored] !== undefined) text(fields, ignored, at);
  const bucket = text(fields, 'bucket', at);
  const object = text(fields, 'object', at);
  const problem = bucketNameProblem(bucket);
  if (problem) throw new UsageError(`${at}.bucket: ${problem}`);
  const objectProblem = objectNameProblem(object);
  if (objectProblem) throw new UsageError(`${at}.object: ${objectProblem}`);
  const host = text(fields, 'host', at, GCS_HOST).toLowerCase();
  if (!/^[a-z0-9.-]+(:\d{1,5})?$/.test(host)) throw new UsageError(`${at}.host: must be a host name with an optional port, no scheme or path (got ${JSON.stringify(host)})`);
  const isGcsHost = host === GCS_HOST || host.endsWith(`.${GCS_HOST}`);
  if (fields.provider === undefined && !isGcsHost) throw new UsageError(`${at}.provider: required when host is not ${GCS_HOST}: one of ${ORIGIN_PROVIDERS.join(', ')}`);
  const credential = fields.credential === undefined ? null : text(fields, 'credential', at);
  if (credential !== null && !/^[A-Za-z0-9_-]{1,64}$/.test(credential)) throw new UsageError(`${at}.credential: must be a name of letters, digits, '_' and '-'`);
  return {
    name,
    bucket,
    object,
    provider: oneOf(fields, 'provider', at, ORIGIN_PROVIDERS, 'gcs'),
    host,
    urlStyle: oneOf(fields, 'url_style', at, ['path', 'virtual'] as const, 'path'),
    region: text(fields, 'region', at, 'auto'),
    credential,
  };
}

/** `source` names where the text came from, for the JSON error. Primary first, fallbacks in order. */
export function parseOriginsJson(json: string, source: string): UploadOrigin[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    throw new UsageError(`${source}: origins is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!Array.isArray(parsed) || parsed.length < 1 || parsed.length > MAX_ORIGINS) {
    throw new UsageError(`${source}: origins must be a JSON array of 1 to ${MAX_ORIGINS} origin objects`);
  }
  const roles = parsed.map((entry, index) => oneOf((entry ?? {}) as Record<string, unknown>, 'role', `origins[${index}]`, ['primary', 'fallback'] as const));
  const primaries = roles.filter((role) => role === 'primary').length;
  if (primaries !== 1) throw new UsageError(`${source}: exactly one origin must have "role":"primary" (got ${primaries})`);
  let fallbacks = 0;
  const origins = parsed.map((entry, index) => {
    const name = roles[index] === 'primary' ? 'primary' : ++fallbacks === 1 ? 'fallback' : `fallback-${fallbacks}`;
    return decodeOrigin(entry, `origins[${index}]`, name);
  });
  return [...origins.filter((o) => o.name === 'primary'), ...origins.filter((o) => o.name !== 'primary')];
}

export async function readOriginsFile(path: string): Promise<UploadOrigin[]> {
  let json: string;
  try {
    json = await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`--origins ${path}: cannot read it (${error instanceof Error ? error.message : String(error)})`);
  }
  return parseOriginsJson(json, path);
}

/** The `origins` value of the manifest's local canary_config store, or null when it has none. */
export function readManifestOrigins(path: string): UploadOrigin[] | null {
  const json = loadManifest(path).configStores.get(CONFIG_STORE)?.get('origins');
  return json === undefined ? null : parseOriginsJson(json, `${path} [local_server.config_stores.${CONFIG_STORE}] origins`);
}

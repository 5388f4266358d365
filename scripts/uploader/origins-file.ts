/**
 * The `origins` JSON array (docs/origins.md) as the uploader reads it, from `--origins FILE` or
 * from the manifest's `[local_server.config_stores.canary_config]` `origins` value, decoded by the
 * service's own decoder (unknown fields rejected, every error naming entry and field). The uploader
 * uses where each canary lives and ignores `backend` and `signing` (it writes with its own
 * credentials); `credential` only names its environment variables.
 */
import { readFile } from 'node:fs/promises';
import { parseOrigins, type OriginConfig, type Provider } from '../../src/core/origins';
import { CONFIG_STORE } from '../../src/core/types';
import { loadManifest } from '../../src/node/manifest';
import { UsageError } from './errors';
import { bucketNameProblem, objectNameProblem } from './object-name';

export type OriginProvider = Provider;

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

/**
 * The canary's own decoder (src/core/origins.ts) reads the value, so a file the uploader accepts is
 * one the service accepts too; the uploader adds its stricter object and bucket name checks.
 */
function toUploadOrigin(origin: OriginConfig): UploadOrigin {
  const at = origin.entry ?? 'origins';
  const bucketProblem = bucketNameProblem(origin.bucket);
  if (bucketProblem) throw new UsageError(`${at}.bucket: ${bucketProblem}`);
  const objectProblem = objectNameProblem(origin.object);
  if (objectProblem) throw new UsageError(`${at}.object: ${objectProblem}`);
  return {
    name: origin.target.slice('origin:'.length),
    bucket: origin.bucket,
    object: origin.object,
    provider: origin.provider,
    host: origin.originHost,
    urlStyle: origin.urlStyle,
    region: origin.region,
    credential: origin.secretNames ? origin.secretNames.accessId.slice(0, -'_access_id'.length) : null,
  };
}

/** `source` names where the text came from. Primary first, fallbacks in order. */
export function parseOriginsJson(json: string, source: string): UploadOrigin[] {
  const parsed = parseOrigins(json);
  if (!parsed.ok) throw new UsageError(`${source}: ${parsed.errors.join('; ')}`);
  return parsed.origins.map(toUploadOrigin);
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

/**
 * Everything a check needs before it may touch a bucket: the validated configuration, each origin's
 * backend declared, and each origin's credential read from the Secret Store (two reads per distinct
 * credential) and described without revealing it. Problems are collected, never thrown.
 */
import { parseConfig, type CanaryConfig } from './config';
import type { OriginConfig } from './origins';
import type { Credentials } from './probe';
import { describeCredentialOnce, hideCredentials, readCredentials } from './secrets';
import { BACKEND_EDGE, BACKEND_GCS, CONFIG_STORE, StoreReadError, type Credential, type KeyValueSource, type Platform } from './types';

export interface OriginSettings {
  origin: OriginConfig;
  credentials: Credentials | null;
  credential: Credential | null;
}

export interface Settings {
  config: CanaryConfig;
  /** Parallel to config.origins: primary first. */
  origins: OriginSettings[];
  /** The primary's credential, as the one-origin report always showed it. */
  credential: Credential | null;
}

/**
 * Fastly allows 5 Secret Store reads per Compute request ("Secrets are limited to 5 secret reads per
 * Compute request", docs.fastly.com/en/guides/working-with-secret-stores); each credential costs two.
 */
export const SECRET_READS_PER_REQUEST = 5;

export type Loaded = { ok: true; settings: Settings } | { ok: false; errors: string[] };

/**
 * `select` keeps only some origins (the verifier's `--origin`): the others' backends are not checked
 * and their secrets not read, so one origin can be verified with only its own credential at hand.
 */
export async function loadSettings(platform: Platform, select: (origin: OriginConfig) => boolean = () => true): Promise<Loaded> {
  const listed = platform.configStore();
  if (!listed) return { ok: false, errors: [`config store ${CONFIG_STORE}: not found (link it to this service)`] };
  const store = readingEachKeyOnce(listed);
  let parsed: ReturnType<typeof parseConfig>;
  try {
    parsed = parseConfig(store);
  } catch (error) {
    // A store that cannot be read is a report naming the store, never a bare 500.
    if (error instanceof StoreReadError) return { ok: false, errors: [error.message] };
    throw error;
  }
  const errors = parsed.ok ? [] : [...parsed.errors];
  const config = parsed.ok ? { ...parsed.config, origins: parsed.config.origins.filter(select) } : null;

  for (const origin of config?.origins ?? []) checkBackend(platform, origin, errors);
  if (config?.edgeUrl && platform.hasBackend && !platform.hasBackend(BACKEND_EDGE)) {
    errors.push(`edge_url: set, but backend ${BACKEND_EDGE} is not defined`);
  }

  const read = await readOriginCredentials(platform, config, store.get('origins') !== null ? null : flatSigning(config, store.get('signing')), errors);
  if (errors.length > 0 || !config) return { ok: false, errors: errors.map((error) => hideCredentials(error, read.values)) };
  const origins = await Promise.all(config.origins.map(async (origin): Promise<OriginSettings> => {
    const credentials = origin.secretNames ? read.byAccessIdName.get(origin.secretNames.accessId) ?? null : null;
    return { origin, credentials, credential: credentials ? await describeCredentialOnce(credentials) : null };
  }));
  return { ok: true, settings: { config, origins, credential: origins[0]?.credential ?? null } };
}

/**
 * Compute counts every ConfigStore lookup (32 per execution): each key is looked up at most once
 * per check, so a check costs at most CONFIG_KEYS.length (15) lookups, whichever form is used.
 */
function readingEachKeyOnce(store: KeyValueSource): KeyValueSource {
  const seen = new Map<string, string | null>();
  const get = (key: string): string | null => {
    if (!seen.has(key)) seen.set(key, store.get(key));
    return seen.get(key) ?? null;
  };
  const keys = store.keys?.bind(store);
  return keys ? { get, keys } : { get };
}

function checkBackend(platform: Platform, origin: OriginConfig, errors: string[]): void {
  if (!platform.hasBackend || platform.hasBackend(origin.backend)) return;
  if (origin.entry === null) errors.push(`backend ${BACKEND_GCS}: not defined (add the bucket host as backend "${BACKEND_GCS}")`);
  else errors.push(`${origin.entry}.backend: backend "${origin.backend}" is not defined (declare it on the service, locally in [local_server.backends])`);
}

/** With an invalid flat config the secrets are still read, so a secret pasted into a config key is hidden. */
function flatSigning(config: CanaryConfig | null, signing: string | null): string {
  return config?.signing ?? signing?.trim() ?? 'goog4';
}

interface ReadResult {
  byAccessIdName: Map<string, Credentials>;
  values: string[];
}

/**
 * One pair of reads per distinct credential name, concurrently. With an invalid `origins` value the
 * names are unknown and nothing is read (`flatSigning` null and no config).
 */
async function readOriginCredentials(platform: Platform, config: CanaryConfig | null, flatSigning: string | null, errors: string[]): Promise<ReadResult> {
  const result: ReadResult = { byAccessIdName: new Map(), values: [] };
  const wanted = new Map<string, { names: NonNullable<OriginConfig['secretNames']>; usedBy: string[] }>();
  if (config) {
    for (const origin of config.origins) {
      if (!origin.secretNames) continue;
      const entry = wanted.get(origin.secretNames.accessId) ?? { names: origin.secretNames, usedBy: [] };
      entry.usedBy.push(origin.entry === null ? origin.target : `${origin.target} (${origin.entry}.credential)`);
      wanted.set(origin.secretNames.accessId, entry);
    }
  } else if (flatSigning !== null && flatSigning !== 'none') {
    wanted.set('', { names: { accessId: 'hmac_access_id', secret: 'hmac_secret' }, usedBy: [] });
  }
  const needed = wanted.size * 2;
  if (needed > SECRET_READS_PER_REQUEST) {
    errors.push(`origins: ${wanted.size} distinct credentials need ${needed} Secret Store reads per check, and Fastly allows ${SECRET_READS_PER_REQUEST} per request: let origins in the same account share a credential name (at most 2 distinct), or ask Fastly Support to raise the limit`);
    return result;
  }
  const several = config !== null && config.origins.some((origin) => origin.entry !== null);
  const pending = [...wanted.values()];
  const reads = await Promise.all(pending.map(({ names, usedBy }) =>
    readCredentials(platform, names, several ? ` (needed by ${usedBy.join(', ')})` : '').catch((error: unknown) => {
      if (error instanceof StoreReadError) return { ok: false as const, errors: [error.message], values: [] };
      throw error;
    })));
  reads.forEach((read, index) => {
    result.values.push(...read.values);
    if (read.ok) result.byAccessIdName.set(pending[index]!.names.accessId, read.credentials);
    // A missing store is one problem, however many credentials needed it.
    else errors.push(...read.errors.filter((error) => !errors.includes(error)));
  });
  return result;
}

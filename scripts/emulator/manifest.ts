/**
 * The emulator's defaults from fastly.toml `[local_server]`: the bucket the canary reads and the
 * local dev HMAC key. Store and key names are repeated here rather than imported from src/, so
 * the emulator stays independent of the code it checks.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { TomlError, parse } from 'smol-toml';
import type { HmacKey } from './keys';

const CONFIG_STORE = 'canary_config';
const SECRET_STORE = 'canary_secrets';

export interface ManifestDefaults {
  bucket: string | null;
  object: string | null;
  hmacKey: HmacKey | null;
}

export class ManifestError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ManifestError';
  }
}

type Table = Record<string, unknown>;

function table(value: unknown): Table | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Table) : undefined;
}

async function configContents(store: Table | undefined, baseDir: string): Promise<Table> {
  if (!store) return {};
  if (store.format === 'json' && typeof store.file === 'string') {
    return table(JSON.parse(await readFile(resolve(baseDir, store.file), 'utf8'))) ?? {};
  }
  return table(store.contents) ?? {};
}

/** Viceroy-style secret entries: `data` inline, `env` from the environment, or `file`. */
async function secretEntries(entries: unknown, baseDir: string): Promise<Map<string, string>> {
  const secrets = new Map<string, string>();
  for (const entry of Array.isArray(entries) ? entries : []) {
    const fields = table(entry);
    if (!fields || typeof fields.key !== 'string') continue;
    if (typeof fields.data === 'string') secrets.set(fields.key, fields.data);
    else if (typeof fields.env === 'string' && process.env[fields.env] !== undefined) secrets.set(fields.key, process.env[fields.env] ?? '');
    else if (typeof fields.file === 'string') secrets.set(fields.key, (await readFile(resolve(baseDir, fields.file), 'utf8')).trim());
  }
  return secrets;
}

/** Any file it cannot read or parse (the manifest, a JSON config file, a secret file) is a ManifestError. */
export async function loadManifestDefaults(path: string): Promise<ManifestDefaults> {
  try {
    return await readDefaults(path);
  } catch (error) {
    throw new ManifestError(`cannot read ${path}: ${describeFailure(error)}`, { cause: error });
  }
}

/** One line; a TOML error's excerpt of the file is dropped, as that line may hold a secret. */
function describeFailure(error: unknown): string {
  if (error instanceof TomlError) {
    const reason = (error.message.split('\n')[0] ?? '').replace(/^Invalid TOML document: /, '');
    return `TOML syntax error at line ${error.line}, column ${error.column}: ${reason}`;
  }
  return error instanceof Error ? error.message : String(error);
}

async function readDefaults(path: string): Promise<ManifestDefaults> {
  const document = parse(await readFile(path, 'utf8'));
  const local = table(document.local_server);
  const baseDir = dirname(path);
  const contents = await configContents(table(table(local?.config_stores)?.[CONFIG_STORE]), baseDir);
  const secrets = await secretEntries(table(local?.secret_stores)?.[SECRET_STORE], baseDir);
  const accessId = secrets.get('hmac_access_id');
  const secret = secrets.get('hmac_secret');
  return {
    bucket: typeof contents.bucket === 'string' ? contents.bucket : null,
    object: typeof contents.object === 'string' ? contents.object : null,
    hmacKey: accessId && secret ? { accessId, secret } : null,
  };
}

/** Reads the `[local_server]` section of a fastly.toml the way Viceroy does. */

import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { TomlError, parse } from 'smol-toml';
import { ManifestError, describeType, fileErrorReason, isTable } from './manifest-error';
import type { ManifestSource } from './manifest-error';
import { parseConfigStores, parseSecretStores } from './manifest-stores';
import type { ConfigStores, SecretStores } from './manifest-stores';
import { parseShieldingSites } from './manifest-shielding';
import type { ShieldingSites } from './shielding-sites';

export { ManifestError } from './manifest-error';
export { readManifestSecret } from './manifest-stores';
export type { ConfigStores, SecretSource, SecretStores } from './manifest-stores';

export interface BackendSpec {
  name: string;
  /** Where to connect: scheme, host, port and an optional path prefix. */
  url: URL;
  /** Host header to send instead of the request's own host. */
  overrideHost: string | null;
  /** TLS name to verify the certificate against (and send as SNI) instead of the url's host. */
  certHost: string | null;
  useSni: boolean;
}

export interface LocalManifest {
  /** The manifest path as given, for messages. */
  file: string;
  backends: ReadonlyMap<string, BackendSpec>;
  configStores: ConfigStores;
  secretStores: SecretStores;
  /** `[local_server.shielding_sites]`; absent in a manifest built by hand, which knows no shields. */
  shieldingSites?: ShieldingSites;
}

const BACKEND_KEYS = ['url', 'override_host', 'cert_host', 'use_sni'];

export function loadManifest(file: string): LocalManifest {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ManifestError(file, fileErrorReason(error), { cause: error });
  }
  return parseManifest(text, { file, dir: dirname(resolve(file)) });
}

export function parseManifest(text: string, source: ManifestSource): LocalManifest {
  let document: Record<string, unknown>;
  try {
    document = parse(text);
  } catch (error) {
    if (!(error instanceof TomlError)) throw error;
    const reason = error.message.split('\n')[0].replace(/^Invalid TOML document: /, '');
    throw new ManifestError(source.file, `TOML syntax error at line ${error.line}, column ${error.column}: ${reason}`, {
      cause: error,
    });
  }
  // A manifest without [local_server] is valid for Viceroy too: no backends, no stores.
  const localServer = document.local_server ?? {};
  if (!isTable(localServer)) {
    throw new ManifestError(source.file, `local_server must be a table, got ${describeType(localServer)}`);
  }
  return {
    file: source.file,
    backends: parseBackends(source, localServer.backends),
    configStores: parseConfigStores(source, localServer.config_stores),
    secretStores: parseSecretStores(source, localServer.secret_stores),
    shieldingSites: parseShieldingSites(source, localServer.shielding_sites),
  };
}

function parseBackends(source: ManifestSource, section: unknown): ReadonlyMap<string, BackendSpec> {
  const backends = new Map<string, BackendSpec>();
  if (section === undefined) return backends;
  if (!isTable(section)) {
    throw new ManifestError(source.file, `local_server.backends must be a table, got ${describeType(section)}`);
  }
  for (const [name, backend] of Object.entries(section)) {
    backends.set(name, parseBackend(source, name, backend));
  }
  return backends;
}

function parseBackend(source: ManifestSource, name: string, backend: unknown): BackendSpec {
  const key = `local_server.backends.${name}`;
  const fail = (problem: string): never => {
    throw new ManifestError(source.file, `${key}${problem}`);
  };
  if (!isTable(backend)) return fail(` must be a table, got ${describeType(backend)}`);
  const unknownKey = Object.keys(backend).find((k) => !BACKEND_KEYS.includes(k));
  if (unknownKey !== undefined) return fail(`.${unknownKey} is not a backend key (${BACKEND_KEYS.join(', ')})`);
  if (backend.url === undefined) return fail('.url is missing');
  if (typeof backend.url !== 'string') return fail(`.url must be a string, got ${describeType(backend.url)}`);
  const url = URL.canParse(backend.url) ? new URL(backend.url) : null;
  if (url === null || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    return fail(`.url "${backend.url}" is not an http or https URL`);
  }
  return {
    name,
    url,
    overrideHost: optionalHost(backend.override_host, `${key}.override_host`, source),
    certHost: optionalHost(backend.cert_host, `${key}.cert_host`, source),
    useSni: backend.use_sni === undefined ? true : booleanValue(backend.use_sni, `${key}.use_sni`, source),
  };
}

function optionalHost(value: unknown, key: string, source: ManifestSource): string | null {
  if (value === undefined) return null;
  if (typeof value !== 'string') throw new ManifestError(source.file, `${key} must be a string, got ${describeType(value)}`);
  if (value.trim() === '') throw new ManifestError(source.file, `${key} must not be empty`);
  return value;
}

function booleanValue(value: unknown, key: string, source: ManifestSource): boolean {
  if (typeof value !== 'boolean') throw new ManifestError(source.file, `${key} must be a boolean, got ${describeType(value)}`);
  return value;
}

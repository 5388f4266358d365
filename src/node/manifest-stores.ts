/** Config and secret stores of `[local_server]`, in the forms Viceroy accepts. */

import { ManifestError, describeType, isTable, readSiblingFile } from './manifest-error';
import type { ManifestSource, Table } from './manifest-error';

/** A secret is either known at load time or read from the environment when asked for. */
export type SecretSource = { kind: 'value'; value: string } | { kind: 'env'; variable: string };

export type ConfigStores = ReadonlyMap<string, ReadonlyMap<string, string>>;
export type SecretStores = ReadonlyMap<string, ReadonlyMap<string, SecretSource>>;

/**
 * A secret's value from the manifest's secret stores, read when asked for like Viceroy does: an
 * unset environment variable is a missing secret (null), not a startup failure.
 */
export function readManifestSecret(stores: SecretStores, store: string, name: string, env: Readonly<Record<string, string | undefined>>): string | null {
  const source = stores.get(store)?.get(name);
  if (source === undefined) return null;
  return source.kind === 'value' ? source.value : (env[source.variable] ?? null);
}

const CONFIG_FORMATS = ['inline-toml', 'json'];
const SECRET_SOURCES = ['data', 'file', 'env'] as const;

export function parseConfigStores(source: ManifestSource, section: unknown): ConfigStores {
  const stores = new Map<string, ReadonlyMap<string, string>>();
  for (const [name, store] of entriesOfTable(source, 'local_server.config_stores', section)) {
    stores.set(name, parseConfigStore(source, `local_server.config_stores.${name}`, store));
  }
  return stores;
}

function parseConfigStore(source: ManifestSource, key: string, store: unknown): ReadonlyMap<string, string> {
  if (!isTable(store)) throw new ManifestError(source.file, `${key} must be a table, got ${describeType(store)}`);
  const format = store.format;
  if (format === undefined) {
    throw new ManifestError(source.file, `${key}.format is missing (use "inline-toml" or "json")`);
  }
  if (typeof format !== 'string' || !CONFIG_FORMATS.includes(format)) {
    const shown = typeof format === 'string' ? `"${format}"` : describeType(format);
    throw new ManifestError(source.file, `${key}.format ${shown} is not supported (use "inline-toml" or "json")`);
  }
  if (format === 'inline-toml') {
    if (store.contents === undefined) throw new ManifestError(source.file, `${key}.contents is missing`);
    if (!isTable(store.contents)) {
      throw new ManifestError(source.file, `${key}.contents must be a table, got ${describeType(store.contents)}`);
    }
    return stringEntries(source, `${key}.contents`, store.contents);
  }
  if (typeof store.file !== 'string') {
    const problem = store.file === undefined ? 'is missing' : `must be a string, got ${describeType(store.file)}`;
    throw new ManifestError(source.file, `${key}.file ${problem}`);
  }
  const text = readSiblingFile(source, `${key}.file`, store.file);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ManifestError(source.file, `${key}.file "${store.file}" is not valid JSON (${reason})`, { cause: error });
  }
  if (!isTable(parsed)) {
    throw new ManifestError(source.file, `${key}.file "${store.file}" must hold a JSON object of strings`);
  }
  return stringEntries(source, `${key}.file "${store.file}": key`, parsed);
}

function stringEntries(source: ManifestSource, key: string, table: Table): ReadonlyMap<string, string> {
  const entries = new Map<string, string>();
  for (const [name, value] of Object.entries(table)) {
    if (typeof value !== 'string') {
      throw new ManifestError(source.file, `${key}.${name} must be a string, got ${describeType(value)}`);
    }
    entries.set(name, value);
  }
  return entries;
}

export function parseSecretStores(source: ManifestSource, section: unknown): SecretStores {
  const stores = new Map<string, ReadonlyMap<string, SecretSource>>();
  for (const [name, store] of entriesOfTable(source, 'local_server.secret_stores', section)) {
    const key = `local_server.secret_stores.${name}`;
    if (!Array.isArray(store)) {
      throw new ManifestError(
        source.file,
        `${key} must be an array of { key, data | file | env } entries ([[${key}]]), got ${describeType(store)}`,
      );
    }
    const entries = new Map<string, SecretSource>();
    store.forEach((entry: unknown, index) => {
      const [secretName, secret] = parseSecretEntry(source, `${key}[${index}]`, entry);
      entries.set(secretName, secret);
    });
    stores.set(name, entries);
  }
  return stores;
}

function parseSecretEntry(source: ManifestSource, key: string, entry: unknown): [string, SecretSource] {
  if (!isTable(entry)) throw new ManifestError(source.file, `${key} must be a table, got ${describeType(entry)}`);
  if (typeof entry.key !== 'string' || entry.key === '') {
    const problem = entry.key === undefined ? 'is missing' : 'must be a non-empty string';
    throw new ManifestError(source.file, `${key}.key ${problem}`);
  }
  const given = SECRET_SOURCES.filter((name) => entry[name] !== undefined);
  if (given.length !== 1) {
    throw new ManifestError(source.file, `${key} (key "${entry.key}") needs exactly one of data, file, env`);
  }
  const kind = given[0];
  const value = entry[kind];
  if (typeof value !== 'string') {
    throw new ManifestError(source.file, `${key}.${kind} must be a string, got ${describeType(value)}`);
  }
  if (kind === 'data') return [entry.key, { kind: 'value', value }];
  if (kind === 'env') return [entry.key, { kind: 'env', variable: value }];
  // Like Viceroy, the file's bytes are the secret: a trailing newline is part of it.
  return [entry.key, { kind: 'value', value: readSiblingFile(source, `${key}.file`, value) }];
}

function entriesOfTable(source: ManifestSource, key: string, section: unknown): [string, unknown][] {
  if (section === undefined) return [];
  if (!isTable(section)) throw new ManifestError(source.file, `${key} must be a table, got ${describeType(section)}`);
  return Object.entries(section);
}

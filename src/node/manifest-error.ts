/** The one error a manifest can produce: which file, and a one-line description of the problem. */

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export class ManifestError extends Error {
  readonly file: string;
  readonly problem: string;
  constructor(file: string, problem: string, options?: { cause?: unknown }) {
    super(`${file}: ${problem}`, options);
    this.name = 'ManifestError';
    this.file = file;
    this.problem = problem;
  }
}

/** Where a manifest came from: the name to show in errors and the directory its relative paths start at. */
export interface ManifestSource {
  file: string;
  dir: string;
}

export type Table = Record<string, unknown>;

export function isTable(value: unknown): value is Table {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** The TOML type of a value, for messages; never the value itself, which may be a secret. */
export function describeType(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (isTable(value)) return 'a table';
  if (value instanceof Date) return 'a date';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a float';
  if (typeof value === 'boolean') return 'a boolean';
  if (typeof value === 'string') return 'a string';
  return typeof value;
}

/** Reads a file named in the manifest, relative to the manifest's directory. */
export function readSiblingFile(source: ManifestSource, key: string, relativePath: string): string {
  try {
    return readFileSync(resolve(source.dir, relativePath), 'utf8');
  } catch (error) {
    throw new ManifestError(source.file, `${key} "${relativePath}" cannot be read (${fileErrorReason(error)})`, {
      cause: error,
    });
  }
}

export function fileErrorReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'file not found';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  return code ?? String(error);
}

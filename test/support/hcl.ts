/** Every .tf file under a folder, parsed offline with @cdktf/hcl2json (HCL → the JSON form Terraform also reads). */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from '@cdktf/hcl2json';
import { REPO_ROOT } from './spawn-script';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export async function parseTerraformDir(dir: string): Promise<Map<string, Record<string, Json>>> {
  const parsed = new Map<string, Record<string, Json>>();
  for (const file of tfFiles(join(REPO_ROOT, dir))) {
    const name = relative(REPO_ROOT, file);
    parsed.set(name, (await parse(name, readFileSync(file, 'utf8'))) as Record<string, Json>);
  }
  return parsed;
}

function tfFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return tfFiles(path);
    return entry.name.endsWith('.tf') ? [path] : [];
  });
}

/** Walks objects and (for HCL blocks, which parse as lists) their first element; undefined when absent. */
export function at(value: Json | undefined, ...path: (string | number)[]): Json | undefined {
  let current = value;
  for (const key of path) {
    if (current === null || current === undefined || typeof current !== 'object') return undefined;
    if (Array.isArray(current)) current = typeof key === 'number' ? current[key] : at(current[0], key);
    else current = current[key as string];
  }
  return current;
}

/** All blocks of one kind merged across files: `resource` → { type: { name: [body] } }. */
export function merged(files: Map<string, Record<string, Json>>, kind: string): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const file of files.values()) {
    const section = file[kind];
    if (section && typeof section === 'object' && !Array.isArray(section)) {
      for (const [type, byName] of Object.entries(section)) {
        out[type] = { ...((out[type] as Record<string, Json> | undefined) ?? {}), ...(byName as Record<string, Json>) };
      }
    } else if (Array.isArray(section)) {
      out[kind] = [...((out[kind] as Json[] | undefined) ?? []), ...section];
    }
  }
  return out;
}

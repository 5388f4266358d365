/**
 * fastly.toml's commented `[setup]` block for a primary and a fallback, and docs/deploy.md's Fastly
 * CLI commands for the same, agree with the service's decoder: uncommented in place of the flat
 * items, the manifest decodes to both origins, declares exactly their backends (at the hosts they
 * sign) and exactly their four secrets; the CLI commands create the same backends and secrets.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/core/config';
import type { OriginConfig } from '../../src/core/origins';
import { docText } from '../support/readme-snippets';

const MANIFEST = readFileSync(new URL('../../fastly.toml', import.meta.url), 'utf8');
const INTRO = '# Several buckets instead';

type Table = Record<string, unknown>;
const table = (value: unknown): Table => (typeof value === 'object' && value !== null && !Array.isArray(value) ? value as Table : {});

/** The commented block's TOML: the `# ` lines after its introduction, from the first table on. */
function uncommentedBlock(text: string): string {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => line.trim().startsWith(INTRO));
  expect(start, `fastly.toml has a comment starting "${INTRO}"`).toBeGreaterThan(-1);
  const block: string[] = [];
  for (const line of lines.slice(start)) {
    if (!/^\s*#/.test(line)) break;
    block.push(line.replace(/^\s*# ?/, ''));
  }
  return block.slice(block.findIndex((line) => line.startsWith('['))).join('\n');
}

function deepMerge(into: Table, from: Table): Table {
  for (const [key, value] of Object.entries(from)) {
    into[key] = typeof value === 'object' && value !== null && !Array.isArray(value) ? deepMerge(table(into[key]), value as Table) : value;
  }
  return into;
}

/** [setup] as the comment says to make it: the flat items, the gcs backend and the hmac entries gone, the block in. */
function setupWithOrigins(): Table {
  const setup = table(parse(MANIFEST).setup);
  const items = table(table(table(setup.config_stores).canary_config).items);
  for (const key of ['bucket', 'object', 'signing']) delete items[key];
  delete table(setup.backends).gcs;
  const entries = table(table(table(setup.secret_stores).canary_secrets).entries);
  for (const key of ['hmac_access_id', 'hmac_secret']) delete entries[key];
  return deepMerge(setup, table(parse(uncommentedBlock(MANIFEST)).setup));
}

function decodedOrigins(setup: Table): OriginConfig[] {
  const items = table(table(table(setup.config_stores).canary_config).items);
  const values = Object.fromEntries(Object.entries(items).map(([key, item]) => [key, String(table(item).value)]));
  const decoded = parseConfig({ get: (key) => values[key] ?? null, keys: () => Object.keys(values) });
  if (!decoded.ok) throw new Error(`the [setup] example does not decode: ${decoded.errors.join('; ')}`);
  return decoded.config.origins;
}

const hostOf = (origin: OriginConfig) => (origin.urlStyle === 'virtual' ? `${origin.bucket}.${origin.originHost}` : origin.originHost);
const secretsOf = (origins: OriginConfig[]) => origins.flatMap((origin) => (origin.secretNames ? [origin.secretNames.accessId, origin.secretNames.secret] : [])).sort();

describe("fastly.toml's [setup] example for a primary and a fallback", () => {
  const setup = setupWithOrigins();
  const origins = decodedOrigins(setup);

  it('decodes, with the flat items removed as it says, to a B2 primary and an S3 fallback', () => {
    expect(origins.map((o) => [o.target, o.provider, o.backend, o.secretNames?.accessId])).toEqual([
      ['origin:primary', 'b2', 'b2', 'primary_access_id'],
      ['origin:fallback', 's3', 'archive', 'archive_access_id'],
    ]);
  });

  it("declares exactly the origins' backends, each at the host the canary signs, on 443", () => {
    const backends = table(setup.backends);
    expect(Object.keys(backends).sort()).toEqual(origins.map((o) => o.backend).sort());
    for (const origin of origins) expect(table(backends[origin.backend]), origin.backend).toMatchObject({ address: hostOf(origin), port: 443 });
  });

  it("declares exactly the origins' four secrets", () => {
    const entries = table(table(table(setup.secret_stores).canary_secrets).entries);
    expect(Object.keys(entries).sort()).toEqual(secretsOf(origins));
    expect(secretsOf(origins)).toHaveLength(4);
  });

  it('names the flat entries to delete', () => {
    const intro = MANIFEST.slice(MANIFEST.indexOf(INTRO), MANIFEST.indexOf('# [setup.'));
    for (const name of ['gcs backend', 'bucket, object and signing items', 'two hmac entries']) expect(intro.replace(/\s*#\s*/g, ' ')).toContain(name);
  });
});

describe("docs/deploy.md's Fastly CLI commands for several origins", () => {
  const page = docText('docs/deploy.md');
  const section = page.slice(page.indexOf('## Several origins'), page.indexOf('## Later deploys'));
  const origins = decodedOrigins(setupWithOrigins());

  it('create the same backends, each at the host the canary signs, with TLS to that name and the timeouts', () => {
    const commands = [...section.matchAll(/npx fastly backend create ((?:.*\\\n)*.*)/g)].map((m) => m[1]!.replace(/\\\n\s*/g, ' '));
    const created = commands.map((command) => ({
      name: /--name (\S+)/.exec(command)?.[1], address: /--address (\S+)/.exec(command)?.[1],
      cert: /--ssl-cert-hostname (\S+)/.exec(command)?.[1], sni: /--ssl-sni-hostname (\S+)/.exec(command)?.[1],
      tls: command.includes('--use-ssl') && command.includes('--port 443'),
      timeouts: command.includes('--connect-timeout 1000 --first-byte-timeout 5000 --between-bytes-timeout 5000'),
    }));
    expect(created).toEqual(origins.map((origin) => ({ name: origin.backend, address: hostOf(origin), cert: hostOf(origin), sni: hostOf(origin), tls: true, timeouts: true })));
  });

  it('create the same four secrets, before the origins value that names them', () => {
    const created = [...section.matchAll(/secret-store-entry create .*--name (\S+)/g)].map((m) => m[1]!);
    expect(created.sort()).toEqual(secretsOf(origins));
    expect(section.lastIndexOf('secret-store-entry create')).toBeLessThan(section.indexOf('--key origins'));
  });
});

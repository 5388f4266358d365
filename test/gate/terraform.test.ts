/**
 * deploy/terraform and the production-service sketch, parsed with an HCL parser: the resources the
 * canary needs exist and are wired to each other under the names the code uses.
 */
import { execFile } from 'node:child_process';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONFIG_KEYS } from '../../src/core/config';
import { BACKEND_EDGE, BACKEND_GCS, CONFIG_STORE, SECRET_ACCESS_ID, SECRET_SECRET, SECRET_STORE } from '../../src/core/types';
import { FASTLY_BACKEND_TIMEOUTS } from '../../src/node/backend-fetch';
import { at, merged, parseTerraformDir, type Json } from '../support/hcl';
import { REPO_ROOT } from '../support/spawn-script';

const run = promisify(execFile);

let canary: Map<string, Record<string, Json>>;
let production: Map<string, Record<string, Json>>;
let resources: Record<string, Json>;
let service: Json | undefined;

beforeAll(async () => {
  canary = await parseTerraformDir('deploy/terraform');
  production = await parseTerraformDir('deploy/pipelines/production-service');
  resources = merged(canary, 'resource');
  service = at(resources, 'fastly_service_compute', 'canary', 0);
});

describe('deploy/terraform', () => {
  it('parses every file', () => {
    expect([...canary.keys()].sort()).toEqual(['main.tf', 'outputs.tf', 'secrets.tf', 'stores.tf', 'variables.tf', 'versions.tf'].map((f) => `deploy/terraform/${f}`));
    expect(at(canary.get('deploy/terraform/versions.tf'), 'terraform', 'required_providers', 'fastly', 'source')).toBe('fastly/fastly');
  });

  it('ships the package with its fastly_package_hash', () => {
    const hash = at(merged(canary, 'data'), 'fastly_package_hash', 'canary', 0);
    expect(at(hash, 'filename')).toBe('${var.package_path}');
    expect(at(service, 'package', 'filename')).toBe('${var.package_path}');
    expect(at(service, 'package', 'source_code_hash')).toBe('${data.fastly_package_hash.canary.hash}');
    expect(at(service, 'domain', 'name')).toBe('${var.canary_domain}');
  });

  it('declares backend gcs, and edge when a production hostname is given, with the timeouts of DESIGN.md', () => {
    const locals = at(merged(canary, 'locals'), 'locals', 0, 'backend_timeouts');
    expect(locals).toEqual({
      connect_timeout: FASTLY_BACKEND_TIMEOUTS.connectMs, first_byte_timeout: FASTLY_BACKEND_TIMEOUTS.firstByteMs, between_bytes_timeout: FASTLY_BACKEND_TIMEOUTS.betweenBytesMs,
    });
    const gcs = at(service, 'backend');
    const edge = at(service, 'dynamic', 'backend', 'content');
    for (const [backend, name] of [[gcs, BACKEND_GCS], [edge, BACKEND_EDGE]] as const) {
      expect(at(backend, 'name')).toBe(name);
      expect(at(backend, 'port')).toBe(443);
      expect(at(backend, 'use_ssl')).toBe(true);
      for (const timeout of ['connect_timeout', 'first_byte_timeout', 'between_bytes_timeout']) {
        expect(at(backend, timeout)).toBe(`\${local.backend_timeouts.${timeout}}`);
      }
    }
    expect(at(service, 'dynamic', 'backend', 'for_each')).toContain('var.production_hostname == null ? []');
  });

  it('links both stores under the names the code opens', () => {
    const links = at(service, 'resource_link') as Json[];
    expect(links.map((link) => [at(link, 'name'), at(link, 'resource_id')])).toEqual([
      [CONFIG_STORE, '${fastly_configstore.canary.id}'],
      [SECRET_STORE, '${fastly_secretstore.canary.id}'],
    ]);
    expect(at(resources, 'fastly_configstore', 'canary', 'name')).toBe(CONFIG_STORE);
    expect(at(resources, 'fastly_secretstore', 'canary', 'name')).toBe(SECRET_STORE);
  });

  it('fills the Config Store with known keys only', () => {
    const entries = at(resources, 'fastly_configstore_entries', 'canary', 0);
    expect(at(entries, 'store_id')).toBe('${fastly_configstore.canary.id}');
    const keys = [...String(at(entries, 'entries')).matchAll(/(\w+)\s*=\s*(?:var|local)\./g)].map((m) => m[1]);
    expect(keys.sort()).toEqual(['bucket', 'edge_url', 'object', 'origin_host', 'signing']);
    for (const key of keys) expect(CONFIG_KEYS).toContain(key);
  });

  it('sets the secrets with the CLI from the same variables, never on a command line', () => {
    const exec = at(resources, 'terraform_data', 'canary_secrets', 0, 'provisioner', 'local-exec', 0);
    const command = String(at(exec, 'command'));
    expect(command).toContain(`--name ${SECRET_ACCESS_ID} --stdin`);
    expect(command).toContain(`--name ${SECRET_SECRET} --stdin`);
    expect(command).not.toContain('${');
    expect(at(exec, 'environment')).toEqual({ STORE_ID: '${fastly_secretstore.canary.id}', ACCESS_ID: '${var.gcs_hmac_access_id}', SECRET: '${var.gcs_hmac_secret}' });
    expect(at(merged(canary, 'variable'), 'gcs_hmac_secret', 0, 'sensitive')).toBe(true);
  });

  it('the secret commands run the Fastly CLI that npm ci installed, with flags it has', async () => {
    const exec = at(resources, 'terraform_data', 'canary_secrets', 0, 'provisioner', 'local-exec', 0);
    expect(at(exec, 'working_dir')).toBe('${path.module}');
    // As on a machine with no global Fastly CLI: npm test puts node_modules/.bin on PATH, so drop it.
    const path = (process.env.PATH ?? '').split(delimiter).filter((dir) => !dir.includes('node_modules')).join(delimiter);
    const lines = String(at(exec, 'command')).trim().split('\n');
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      const program = (line.split('|')[1] ?? '').trim().split(/\s+/);
      const firstFlag = program.findIndex((word, i) => i > 2 && word.startsWith('--'));
      const [file = '', ...args] = program.slice(0, firstFlag);
      const { stdout, stderr } = await run(file, [...args, '--help'], { cwd: join(REPO_ROOT, 'deploy/terraform'), env: { ...process.env, PATH: path }, timeout: 60_000 });
      for (const flag of program.slice(firstFlag).filter((word) => word.startsWith('--'))) expect(stdout + stderr, `${line}: ${flag}`).toContain(flag);
    }
  });

  it('outputs what the gate and the monitors need', () => {
    expect(Object.keys(merged(canary, 'output')).sort()).toEqual(['active_version', 'config_store_id', 'edge_url', 'health_url', 'secret_store_id', 'service_id']);
  });
});

describe('the production service sketch (deploy/pipelines/production-service)', () => {
  it('never activates: the gate does, on the draft Terraform reports', () => {
    const files = merged(production, 'resource');
    expect(at(files, 'fastly_service_vcl', 'files', 0, 'activate')).toBe('${var.activate}');
    expect(at(merged(production, 'variable'), 'activate', 0, 'default')).toBe(false);
    expect(at(merged(production, 'output'), 'draft_version', 0, 'value')).toBe('${fastly_service_vcl.files.cloned_version}');
    // The pipeline compares the two: equal means this apply built no new draft.
    expect(at(merged(production, 'output'), 'active_version', 0, 'value')).toBe('${fastly_service_vcl.files.active_version}');
  });
});

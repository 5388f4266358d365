import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManifestError, loadManifest } from '../../src/node/manifest';
import { makeTempDir } from '../support/temp-dir';
import type { TempDir } from '../support/temp-dir';

let dir: TempDir;

beforeAll(() => {
  dir = makeTempDir('edge-canary-manifest-');
  dir.write('config.json', JSON.stringify({ bucket: 'from-json', attempts: '3' }));
  dir.write('numbers.json', JSON.stringify({ attempts: 3 }));
  dir.write('list.json', '["bucket"]');
  dir.write('broken.json', '{"bucket": ');
  dir.write('secret.txt', 'secret-from-file\n');
});

afterAll(() => dir.remove());

describe('a valid manifest', () => {
  it('reads backends, both config store formats and all three secret forms', () => {
    const file = dir.write(
      'valid.toml',
      `
manifest_version = 3
name = "edge-canary"
[local_server.backends.gcs]
url = "http://127.0.0.1:4443/prefix"
[local_server.backends.edge]
url = "https://canary.example.com"
override_host = "www.example.com"
[local_server.config_stores.canary_config]
format = "inline-toml"
[local_server.config_stores.canary_config.contents]
bucket = "b"
object = "o"
[local_server.config_stores.other]
format = "json"
file = "config.json"
[[local_server.secret_stores.canary_secrets]]
key = "hmac_access_id"
data = "GOOG1EXAMPLE"
[[local_server.secret_stores.canary_secrets]]
key = "hmac_secret"
file = "secret.txt"
[[local_server.secret_stores.canary_secrets]]
key = "from_env"
env = "EDGE_CANARY_TEST_SECRET"
`,
    );
    const manifest = loadManifest(file);

    const gcs = manifest.backends.get('gcs');
    expect(gcs?.url.href).toBe('http://127.0.0.1:4443/prefix');
    expect(gcs?.overrideHost).toBeNull();
    expect(manifest.backends.get('edge')?.overrideHost).toBe('www.example.com');
    expect(Object.fromEntries(manifest.configStores.get('canary_config') ?? [])).toEqual({ bucket: 'b', object: 'o' });
    expect(Object.fromEntries(manifest.configStores.get('other') ?? [])).toEqual({ bucket: 'from-json', attempts: '3' });
    expect(Object.fromEntries(manifest.secretStores.get('canary_secrets') ?? [])).toEqual({
      hmac_access_id: { kind: 'value', value: 'GOOG1EXAMPLE' },
      hmac_secret: { kind: 'value', value: 'secret-from-file\n' },
      from_env: { kind: 'env', variable: 'EDGE_CANARY_TEST_SECRET' },
    });
  });

  it('accepts a manifest without [local_server], as Viceroy does: no backends, no stores', () => {
    const manifest = loadManifest(dir.write('bare.toml', 'name = "x"\n'));
    expect(manifest.backends.size).toBe(0);
    expect(manifest.configStores.size).toBe(0);
    expect(manifest.secretStores.size).toBe(0);
  });

  it('reads the repository fastly.toml', () => {
    const manifest = loadManifest('fastly.toml');
    expect(manifest.backends.get('gcs')?.url.host).toBe('127.0.0.1:4443');
    expect(manifest.configStores.get('canary_config')?.get('bucket')).toBe('edge-canary-local');
    expect(manifest.secretStores.get('canary_secrets')?.has('hmac_secret')).toBe(true);
  });
});

const gcs = '[local_server.backends.gcs]\n';
const store = '[local_server.config_stores.canary_config]\n';
const secrets = '[[local_server.secret_stores.canary_secrets]]\n';

describe.each([
  { name: 'TOML syntax error', toml: 'name = "x"\n\nbucket = \n', problem: 'TOML syntax error at line 3, column 10: invalid value' },
  { name: 'local_server not a table', toml: 'local_server = 3\n', problem: 'local_server must be a table, got an integer' },
  { name: 'backend without url', toml: `${gcs}override_host = "x"\n`, problem: 'local_server.backends.gcs.url is missing' },
  { name: 'backend url not a URL', toml: `${gcs}url = "127.0.0.1:4443"\n`, problem: 'local_server.backends.gcs.url "127.0.0.1:4443" is not an http or https URL' },
  { name: 'backend url of another scheme', toml: `${gcs}url = "ftp://example.com"\n`, problem: 'local_server.backends.gcs.url "ftp://example.com" is not an http or https URL' },
  { name: 'backend url not a string', toml: `${gcs}url = 4443\n`, problem: 'local_server.backends.gcs.url must be a string, got an integer' },
  { name: 'backend unknown key', toml: `${gcs}url = "http://x"\nhost = "y"\n`, problem: 'local_server.backends.gcs.host is not a backend key (url, override_host, cert_host, use_sni)' },
  { name: 'backend empty override_host', toml: `${gcs}url = "http://x"\noverride_host = " "\n`, problem: 'local_server.backends.gcs.override_host must not be empty' },
  { name: 'config store without format', toml: `${store}file = "config.json"\n`, problem: 'local_server.config_stores.canary_config.format is missing (use "inline-toml" or "json")' },
  { name: 'unknown config store format', toml: `${store}format = "yaml"\n`, problem: 'local_server.config_stores.canary_config.format "yaml" is not supported (use "inline-toml" or "json")' },
  { name: 'inline store without contents', toml: `${store}format = "inline-toml"\n`, problem: 'local_server.config_stores.canary_config.contents is missing' },
  { name: 'config value not a string', toml: `${store}format = "inline-toml"\ncontents = { attempts = 2 }\n`, problem: 'local_server.config_stores.canary_config.contents.attempts must be a string, got an integer' },
  { name: 'json store without file', toml: `${store}format = "json"\n`, problem: 'local_server.config_stores.canary_config.file is missing' },
  { name: 'json store file missing', toml: `${store}format = "json"\nfile = "nope.json"\n`, problem: 'local_server.config_stores.canary_config.file "nope.json" cannot be read (file not found)' },
  { name: 'json store file broken', toml: `${store}format = "json"\nfile = "broken.json"\n`, problem: /^local_server\.config_stores\.canary_config\.file "broken\.json" is not valid JSON \(.+\)$/ },
  { name: 'json store file not an object', toml: `${store}format = "json"\nfile = "list.json"\n`, problem: 'local_server.config_stores.canary_config.file "list.json" must hold a JSON object of strings' },
  { name: 'json store value not a string', toml: `${store}format = "json"\nfile = "numbers.json"\n`, problem: 'local_server.config_stores.canary_config.file "numbers.json": key.attempts must be a string, got an integer' },
  { name: 'secret store as a table', toml: '[local_server.secret_stores.canary_secrets]\nkey = "a"\n', problem: 'local_server.secret_stores.canary_secrets must be an array of { key, data | file | env } entries ([[local_server.secret_stores.canary_secrets]]), got a table' },
  { name: 'secret without key', toml: `${secrets}data = "s"\n`, problem: 'local_server.secret_stores.canary_secrets[0].key is missing' },
  { name: 'secret with two sources', toml: `${secrets}key = "a"\ndata = "s"\nenv = "E"\n`, problem: 'local_server.secret_stores.canary_secrets[0] (key "a") needs exactly one of data, file, env' },
  { name: 'secret without source', toml: `${secrets}key = "a"\n`, problem: 'local_server.secret_stores.canary_secrets[0] (key "a") needs exactly one of data, file, env' },
  { name: 'secret data not a string', toml: `${secrets}key = "a"\ndata = 12\n`, problem: 'local_server.secret_stores.canary_secrets[0].data must be a string, got an integer' },
  { name: 'secret file missing', toml: `${secrets}key = "a"\nfile = "missing.txt"\n`, problem: 'local_server.secret_stores.canary_secrets[0].file "missing.txt" cannot be read (file not found)' },
])('a manifest with $name', ({ toml, problem }) => {
  it('is rejected with a one-line message naming the file and the problem', () => {
    const file = dir.write('bad.toml', toml);
    let caught: unknown;
    try {
      loadManifest(file);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ManifestError);
    const error = caught as ManifestError;
    expect(error.file).toBe(file);
    expect(error.message).toBe(`${file}: ${error.problem}`);
    expect(error.message).not.toContain('\n');
    if (typeof problem === 'string') expect(error.problem).toBe(problem);
    else expect(error.problem).toMatch(problem);
  });
});

it('a missing manifest file names the file', () => {
  const file = join(dir.path, 'absent.toml');
  expect(() => loadManifest(file)).toThrow(new ManifestError(file, 'file not found'));
});

it('never puts a secret value into an error message', () => {
  const file = dir.write('leak.toml', `${secrets}key = "hmac_secret"\ndata = "TOP-SECRET-VALUE"\nenv = "X"\n`);
  expect(() => loadManifest(file)).toThrow(ManifestError);
  expect(() => loadManifest(file)).not.toThrow(/TOP-SECRET-VALUE/);
});

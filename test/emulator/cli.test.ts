import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadManifestDefaults } from '../../scripts/emulator';
import { localServerToml } from '../support/manifest-toml';
import { REPO_ROOT, spawnScript } from '../support/spawn-script';
import type { SpawnedScript } from '../support/spawn-script';
import { makeTempDir } from '../support/temp-dir';
import type { TempDir } from '../support/temp-dir';
import { goog4Headers, s3Aws4Headers } from './hand-signers';
import { rawRequest, xmlCode } from './http-client';

const MANIFEST_KEY = { accessId: 'GOOG1EMANIFESTKEY', secret: 'manifest-secret-value-0123' };
const MANIFEST = localServerToml({
  config: { bucket: 'manifest-bucket', object: 'dir/canary.json' },
  secrets: { hmac_access_id: MANIFEST_KEY.accessId, hmac_secret: MANIFEST_KEY.secret },
});

let dir: TempDir;
let manifest: string;

beforeAll(() => {
  dir = makeTempDir('emulator-cli-');
  manifest = dir.write('fastly.toml', MANIFEST);
});
afterAll(() => dir.remove());

const spawned: SpawnedScript[] = [];
// A test that fails before its own kill must not leave an emulator process running.
afterEach(() => {
  for (const { child } of spawned.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

function spawnCli(args: string[], env: Record<string, string> = {}): SpawnedScript {
  const started = spawnScript('scripts/emulator/cli.ts', args, { env: { ...process.env, EMULATOR_HMAC_KEYS: '', ...env } });
  spawned.push(started);
  return started;
}

async function startCli(args: string[], env: Record<string, string> = {}): Promise<SpawnedScript & { url: string; port: number }> {
  const started = spawnCli(args, env);
  for (;;) {
    const match = /(http:\/\/127\.0\.0\.1:(\d+))/.exec(started.output().stdout);
    if (match) return { ...started, url: match[1] ?? '', port: Number(match[2]) };
    const exited = await Promise.race([started.done, new Promise<null>((r) => setTimeout(() => r(null), 50))]);
    if (exited) throw new Error(`the emulator exited (${exited.code}) before listening: ${exited.stderr}`);
  }
}

describe('npm run emulator', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('serves the manifest bucket and key, prints the URL, and exits 0 on %s', async (signal) => {
    const cli = await startCli(['--port', '0', '--manifest', manifest]);
    expect(cli.output().stdout).toContain('manifest-bucket');
    const path = '/manifest-bucket/dir/canary.json';
    const res = await rawRequest({ port: cli.port, path, headers: goog4Headers({ ...MANIFEST_KEY, host: 'storage.googleapis.com', path, time: Date.now() }) });
    expect([res.status, xmlCode(res.body)]).toEqual([404, 'NoSuchKey']);
    cli.child.kill(signal);
    const run = await cli.done;
    expect(run.code).toBe(0);
    expect(run.stdout + run.stderr).not.toContain(MANIFEST_KEY.secret);
    expect(run.stderr).toContain('NoSuchKey');
  });

  it('takes keys from EMULATOR_HMAC_KEYS and buckets from --bucket, never printing a secret', async () => {
    const cli = await startCli(['--port', '0', '--bucket', 'b-one', '--bucket', 'b-two', '--json', '--manifest', manifest], {
      EMULATOR_HMAC_KEYS: 'GOOG1EENVONE:env-secret-one,GOOG1EENVTWO:env-secret-two',
    });
    const line = JSON.parse(cli.output().stdout.trim().split('\n')[0] ?? '{}');
    expect(line).toMatchObject({ url: cli.url, buckets: ['b-one', 'b-two'], accessIds: ['GOOG1EENVONE', 'GOOG1EENVTWO'] });
    const path = '/b-two/x';
    const res = await rawRequest({ port: cli.port, path, headers: goog4Headers({ accessId: 'GOOG1EENVTWO', secret: 'env-secret-two', host: 'storage.googleapis.com', path, time: Date.now() }) });
    expect(xmlCode(res.body)).toBe('NoSuchKey');
    cli.child.kill('SIGTERM');
    const run = await cli.done;
    expect(run.stdout + run.stderr).not.toMatch(/env-secret|manifest-secret/);
  });

  it('--s3-bucket serves an S3-flavoured bucket with its provider semantics', async () => {
    const cli = await startCli(['--port', '0', '--s3-bucket', 'files-archive:s3:us-west-2', '--json', '--manifest', manifest]);
    const line = JSON.parse(cli.output().stdout.trim().split('\n')[0] ?? '{}');
    expect(line).toMatchObject({ buckets: [], s3Buckets: [{ name: 'files-archive', provider: 's3', region: 'us-west-2' }] });
    const path = '/files-archive/missing.json';
    const headers = s3Aws4Headers({ ...MANIFEST_KEY, host: 's3.us-west-2.amazonaws.com', path, time: Date.now(), region: 'us-west-2' });
    const res = await rawRequest({ port: cli.port, path, headers });
    expect([res.status, xmlCode(res.body)]).toEqual([403, 'AccessDenied']);
    cli.child.kill('SIGTERM');
    expect((await cli.done).code).toBe(0);
  });

  it('a malformed --s3-bucket is a usage error naming the expected form', async () => {
    const run = await spawnCli(['--s3-bucket', 'files:azure', '--manifest', manifest]).done;
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('expected NAME:PROVIDER[:REGION]');
  });

  describe('a port already in use', () => {
    let blocker: Server;
    let port: number;
    beforeAll(async () => {
      blocker = createServer();
      await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
      const address = blocker.address();
      port = typeof address === 'object' && address ? address.port : 0;
    });
    afterAll(() => new Promise<void>((r) => blocker.close(() => r())));

    it('is one clear line naming the port, exit 1', async () => {
      const run = await spawnCli(['--port', String(port), '--manifest', manifest]).done;
      expect(run.code).toBe(1);
      expect(run.stderr.trim().split('\n')).toEqual([`edge-canary emulator: port ${port} on 127.0.0.1 is already in use`]);
    });
  });

  it.each([
    [['--port', 'abc']],
    [['--nope']],
    [['positional']],
  ])('usage error %j exits 1 with the usage text', async (args) => {
    const run = await spawnCli([...args, '--manifest', manifest]).done;
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('usage: npm run emulator');
  });

  it('a malformed EMULATOR_HMAC_KEYS is a usage error that does not echo the value', async () => {
    const run = await spawnCli(['--port', '0', '--manifest', manifest], { EMULATOR_HMAC_KEYS: 'no-colon-secretish' }).done;
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('EMULATOR_HMAC_KEYS');
    expect(run.stderr).not.toContain('no-colon-secretish');
  });

  it('a missing manifest is a config error, exit 1', async () => {
    const run = await spawnCli(['--port', '0', '--manifest', join(dir.path, 'absent.toml')]).done;
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/cannot read .*absent\.toml/);
  });

  it('a manifest with a TOML syntax error is one line that never quotes the file, which may hold a secret', async () => {
    const path = dir.write('broken.toml', '[local_server.secret_stores]\ncanary_secrets = [{ key = "hmac_secret", data = "broken-toml-secret" x }]\n');
    const run = await spawnCli(['--port', '0', '--manifest', path]).done;
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^edge-canary emulator: cannot read .*broken\.toml: TOML syntax error at line 2, column \d+: /)]);
    expect(run.stderr).not.toContain('broken-toml-secret');
  });

  it('a manifest naming a config file that is missing is a config error on one line, exit 1', async () => {
    const path = dir.write('json-store.toml', '[local_server.config_stores.canary_config]\nformat = "json"\nfile = "absent.json"\n');
    const run = await spawnCli(['--port', '0', '--manifest', path]).done;
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^edge-canary emulator: cannot read .*json-store\.toml: .*absent\.json/)]);
  });
});

describe('loadManifestDefaults', () => {
  it('reads the bucket, object and dev key of [local_server]', async () => {
    expect(await loadManifestDefaults(manifest)).toEqual({ bucket: 'manifest-bucket', object: 'dir/canary.json', hmacKey: MANIFEST_KEY });
  });

  it('reads secrets given by env and file, like Viceroy', async () => {
    dir.write('secret.txt', 'file-secret\n');
    const path = dir.write('env.toml', localServerToml({ secrets: { hmac_access_id: { env: 'EMULATOR_TEST_ACCESS_ID' }, hmac_secret: { file: 'secret.txt' } } }));
    process.env.EMULATOR_TEST_ACCESS_ID = 'GOOG1EFROMENV';
    try {
      expect(await loadManifestDefaults(path)).toEqual({ bucket: null, object: null, hmacKey: { accessId: 'GOOG1EFROMENV', secret: 'file-secret' } });
    } finally {
      delete process.env.EMULATOR_TEST_ACCESS_ID;
    }
  });

  it('the repository fastly.toml gives a bucket and a dev key', async () => {
    const defaults = await loadManifestDefaults(join(REPO_ROOT, 'fastly.toml'));
    expect(defaults.bucket).toBeTruthy();
    expect(defaults.hmacKey?.accessId).toBeTruthy();
  });
});

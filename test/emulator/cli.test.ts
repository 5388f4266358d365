import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadManifestDefaults } from '../../scripts/emulator';
import { goog4Headers } from './hand-signers';
import { rawRequest, xmlCode } from './http-client';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const MANIFEST_KEY = { accessId: 'GOOG1EMANIFESTKEY', secret: 'manifest-secret-value-0123' };
const MANIFEST = `
[local_server.config_stores.canary_config]
  format = "inline-toml"
  [local_server.config_stores.canary_config.contents]
    bucket = "manifest-bucket"
    object = "dir/canary.json"
[[local_server.secret_stores.canary_secrets]]
  key = "hmac_access_id"
  data = "${MANIFEST_KEY.accessId}"
[[local_server.secret_stores.canary_secrets]]
  key = "hmac_secret"
  data = "${MANIFEST_KEY.secret}"
`;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

let dir: string;
let manifest: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'emulator-cli-'));
  manifest = join(dir, 'fastly.toml');
  await writeFile(manifest, MANIFEST);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function spawnCli(args: string[], env: Record<string, string> = {}): { child: ChildProcess; done: Promise<Run>; output: () => Run } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/emulator/cli.ts', ...args], {
    cwd: REPO,
    env: { ...process.env, EMULATOR_HMAC_KEYS: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const run: Run = { code: null, stdout: '', stderr: '' };
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (run.stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (run.stderr += chunk));
  const done = new Promise<Run>((resolve) => child.on('close', (code) => resolve({ ...run, code })));
  return { child, done, output: () => run };
}

async function startCli(args: string[], env: Record<string, string> = {}): Promise<{ url: string; port: number; child: ChildProcess; done: Promise<Run>; output: () => Run }> {
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
      expect(run.stderr.trim().split('\n')).toEqual([`emulator: port ${port} on 127.0.0.1 is already in use`]);
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
    const run = await spawnCli(['--port', '0', '--manifest', join(dir, 'absent.toml')]).done;
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/cannot read .*absent\.toml/);
  });
});

describe('loadManifestDefaults', () => {
  it('reads the bucket, object and dev key of [local_server]', async () => {
    expect(await loadManifestDefaults(manifest)).toEqual({ bucket: 'manifest-bucket', object: 'dir/canary.json', hmacKey: MANIFEST_KEY });
  });

  it('reads secrets given by env and file, like Viceroy', async () => {
    const path = join(dir, 'env.toml');
    await writeFile(join(dir, 'secret.txt'), 'file-secret\n');
    await writeFile(path, `
[[local_server.secret_stores.canary_secrets]]
  key = "hmac_access_id"
  env = "EMULATOR_TEST_ACCESS_ID"
[[local_server.secret_stores.canary_secrets]]
  key = "hmac_secret"
  file = "secret.txt"
`);
    process.env.EMULATOR_TEST_ACCESS_ID = 'GOOG1EFROMENV';
    try {
      expect(await loadManifestDefaults(path)).toEqual({ bucket: null, object: null, hmacKey: { accessId: 'GOOG1EFROMENV', secret: 'file-secret' } });
    } finally {
      delete process.env.EMULATOR_TEST_ACCESS_ID;
    }
  });

  it('the repository fastly.toml gives a bucket and a dev key', async () => {
    const defaults = await loadManifestDefaults(join(REPO, 'fastly.toml'));
    expect(defaults.bucket).toBeTruthy();
    expect(defaults.hmacKey?.accessId).toBeTruthy();
  });
});

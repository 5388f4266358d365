import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../scripts/emulator';
import { fingerprintSecret } from '../../src/core/credential';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, spawnScript } from '../support/spawn-script';
import { makeTempDir } from '../support/temp-dir';
import type { ScriptRun } from '../support/spawn-script';

const BUCKET = 'pkg-files';
const OBJECT = 'edge-canary/canary.json';
const ACCESS_ID = 'GOOG1EVERIFYTESTKEY000000000000000000000000000000000000000001';
const SECRET = 'dmVyaWZ5LXRlc3Qtc2VjcmV0LTAwMDAwMDAwMDAwMA==';

function runVerify(args: string[], env: Record<string, string | undefined> = {}, stdin = ''): Promise<ScriptRun> {
  return spawnScript('scripts/verify-credentials.ts', args, { env: { PATH: process.env.PATH, ...env }, stdin }).done;
}

describe('npm run verify', () => {
  let emulator: Emulator;
  let origin: string[];

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, buckets: [BUCKET], hmacKeys: [{ accessId: ACCESS_ID, secret: SECRET }] });
    emulator.putObject(BUCKET, OBJECT, JSON.stringify({ kind: 'edge-canary', version: 1, written_at: new Date().toISOString(), sequence: 5, writer: 't' }), {
      contentType: 'application/json',
    });
    origin = ['--bucket', BUCKET, '--object', OBJECT, '--origin-url', emulator.url];
  });
  afterAll(() => emulator.close());

  it.each(['goog4', 'aws4', 'v2'])('a working credential passes with %s and shows its fingerprint', async (signing) => {
    const run = await runVerify([...origin, '--signing', signing], { CANARY_HMAC_ACCESS_ID: ACCESS_ID, CANARY_HMAC_SECRET: SECRET });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^PASS edge-canary ok/);
    expect(run.stdout).toContain(`credential GOOG…0001 fingerprint ${await fingerprintSecret(SECRET)}`);
    expect(run.stdout + run.stderr).not.toContain(SECRET);
  });

  it('a wrong secret fails with exit 2 and names the origin error code', async () => {
    const run = await runVerify(origin, { CANARY_HMAC_ACCESS_ID: ACCESS_ID, CANARY_HMAC_SECRET: 'not-the-secret' });
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('FAIL origin auth_failed 403 SignatureDoesNotMatch');
    expect(run.stdout).not.toContain('not-the-secret');
  });

  it('an unknown access id is InvalidAccessKeyId', async () => {
    const run = await runVerify([...origin, '--json'], { CANARY_HMAC_ACCESS_ID: 'GOOG1EUNKNOWN00000000000000000000000', CANARY_HMAC_SECRET: SECRET });
    expect(run.code).toBe(2);
    const body = JSON.parse(run.stdout);
    expect(body).toMatchObject({ status: 'fail', reason: 'auth_failed' });
    expect(body.checks['origin:fetch'][0].errorCode).toBe('InvalidAccessKeyId');
  });

  it.each([
    { name: 'id and secret', env: {}, stdin: `${ACCESS_ID}\n${SECRET}` },
    { name: 'id line ending in CR LF', env: {}, stdin: `${ACCESS_ID}\r\n${SECRET}` },
    { name: 'just the secret, id from the environment', env: { CANARY_HMAC_ACCESS_ID: ACCESS_ID }, stdin: SECRET },
  ])('reads the credential from stdin: $name', async ({ env, stdin }) => {
    const run = await runVerify([...origin, '--secret-stdin'], env, stdin);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
  });

  it.each([
    { name: 'after id and secret', env: {}, stdin: `${ACCESS_ID}\n${SECRET}\n`, what: 'a newline' },
    { name: 'after just the secret', env: { CANARY_HMAC_ACCESS_ID: ACCESS_ID }, stdin: `${SECRET}\r\n`, what: 'a CR LF line ending' },
  ])('keeps a trailing newline ($name) like the Secret Store, so the mistake fails here too and is named', async ({ env, stdin, what }) => {
    const run = await runVerify([...origin, '--secret-stdin'], env, stdin);
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('FAIL origin auth_failed 403 SignatureDoesNotMatch');
    const kept = stdin.slice(stdin.indexOf(SECRET));
    expect(run.stdout).toContain(`fingerprint ${await fingerprintSecret(kept)}`);
    expect(run.stderr).toContain(`edge-canary verify: warning: the secret from stdin ends with ${what}, and is used with it, as the Secret Store would keep it.`);
    expect(run.stderr).toContain(`printf '%s' "$SECRET" | fastly secret-store-entry create --stdin`);
  });

  it('--help prints the usage on stdout and exits 0, like every other CLI', async () => {
    const run = await runVerify(['--help']);
    expect([run.code, run.stderr]).toEqual([0, '']);
    expect(run.stdout).toMatch(/^usage: npm run verify -- --bucket B --object O/);
  });

  it.each([
    { name: 'no bucket', args: ['--object', OBJECT], env: {}, message: '--bucket is required' },
    { name: 'no credentials', args: ['--bucket', BUCKET, '--object', OBJECT], env: {}, message: 'missing access id' },
    { name: 'secret on argv', args: ['--bucket', BUCKET, '--object', OBJECT, '--secret', 'x'], env: {}, message: "Unknown option '--secret'" },
    { name: 'bad signing', args: ['--bucket', BUCKET, '--object', OBJECT, '--signing', 'md5'], env: { CANARY_HMAC_ACCESS_ID: ACCESS_ID, CANARY_HMAC_SECRET: SECRET }, message: 'signing: must be one of goog4, aws4, v2, none' },
    { name: 'compare without a credential', args: ['--bucket', BUCKET, '--object', OBJECT, '--signing', 'none', '--compare-health', 'http://127.0.0.1:9/health'], env: {}, message: '--compare-health compares credentials, and signing is none' },
    { name: 'missing manifest', args: ['--manifest', '/nonexistent/fastly.toml'], env: {}, message: '/nonexistent/fastly.toml' },
    { name: 'one line on stdin without CANARY_HMAC_ACCESS_ID', args: ['--bucket', BUCKET, '--object', OBJECT, '--secret-stdin'], env: {}, stdin: 'just-a-secret', message: '--secret-stdin got one line: send "<access id>\\n<secret>", or set CANARY_HMAC_ACCESS_ID' },
    { name: 'empty stdin', args: ['--bucket', BUCKET, '--object', OBJECT, '--secret-stdin'], env: {}, stdin: '', message: '--secret-stdin: stdin is empty' },
  ])('$name -> exit 1 with a clear message', async ({ args, env, message, stdin }) => {
    const run = await runVerify(args, env, stdin);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(message);
    expect(run.stdout).toBe('');
  });

  it('runs when started through a symlinked path, as deployments often are', async () => {
    const dir = makeTempDir('verify-link-');
    try {
      const link = join(dir.path, 'repo link');
      symlinkSync(REPO_ROOT, link);
      const run = await spawnScript(join(link, 'scripts/verify-credentials.ts'), ['--object', OBJECT], { env: { PATH: process.env.PATH } }).done;
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('--bucket is required');
    } finally {
      dir.remove();
    }
  });

  it('fails when the deployed canary cannot be read for the comparison', async () => {
    const run = await runVerify([...origin, '--compare-health', 'http://127.0.0.1:9/health'], { CANARY_HMAC_ACCESS_ID: ACCESS_ID, CANARY_HMAC_SECRET: SECRET });
    expect(run.stdout).toMatch(/^PASS edge-canary ok/);
    expect(run.stdout).toContain('compare: could not read http://127.0.0.1:9/health');
    expect(run.code).toBe(2);
  });

  it('compares with the credential a deployed canary reports', async () => {
    const fingerprint = await fingerprintSecret(SECRET);
    const { createServer } = await import('node:http');
    const canary = createServer((_req, res) => {
      res.setHeader('content-type', 'application/health+json');
      res.end(JSON.stringify({ status: 'fail', credential: { accessId: 'GOOG…0001', fingerprint: 'aaaaaaaaaaaa' } }));
    });
    await new Promise<void>((resolve) => canary.listen(0, '127.0.0.1', resolve));
    const port = (canary.address() as { port: number }).port;
    try {
      const run = await runVerify([...origin, '--compare-health', `http://127.0.0.1:${port}/health`], { CANARY_HMAC_ACCESS_ID: ACCESS_ID, CANARY_HMAC_SECRET: SECRET });
      expect(run.stdout).toContain(`compare: DIFFERENT, http://127.0.0.1:${port}/health uses GOOG…0001 fingerprint aaaaaaaaaaaa, you verified GOOG…0001 fingerprint ${fingerprint}`);
      expect(run.code).toBe(2);
    } finally {
      canary.close();
    }
  });
});

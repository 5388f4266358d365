/**
 * `npm run verify -- --manifest FILE` with an `origins` value: every origin with its own credential
 * against the emulator's GCS and S3-style buckets, one line each, exit 2 naming the one that failed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../scripts/emulator';
import { fingerprintSecret } from '../../src/core/credential';
import { canaryBody } from '../support/fake-platform';
import { localServerToml, type LocalServerToml } from '../support/manifest-toml';
import { registerSecret } from '../support/secret-scan';
import { spawnScript, type ScriptRun } from '../support/spawn-script';
import { makeTempDir, type TempDir } from '../support/temp-dir';

const OBJECT = 'edge-canary/canary.json';
const GCS = { id: 'GOOG1EVERIFYORIGINSPRIMARY00000000000000000000000000000000001', secret: 'dmVyaWZ5LW9yaWdpbnMtcHJpbWFyeS0wMDAx' };
const ARCHIVE = { id: 'AKIAVERIFYORIGINS0001', secret: 'verify-origins-archive-secret-0001' };
const R2 = { id: 'r2verifyoriginsaccesskey00000001', secret: 'verify-origins-r2-secret-key-0001' };
const WRONG = 'verify-origins-a-secret-nobody-issued';
for (const [secret, label] of [[GCS.secret, 'GCS'], [ARCHIVE.secret, 'ARCHIVE'], [R2.secret, 'R2'], [WRONG, 'WRONG']] as const) {
  registerSecret(secret, { label: `${label}.secret (test/verify/verify-origins.test.ts)` });
}

const PRIMARY_GCS = { role: 'primary', backend: 'gcs', bucket: 'files-gcs', object: OBJECT, signing: 'goog4', credential: 'hmac' };
const FALLBACK_S3 = {
  role: 'fallback', backend: 'archive', bucket: 'files-archive', object: OBJECT, signing: 'aws4',
  host: 's3.us-west-2.amazonaws.com', url_style: 'virtual', region: 'us-west-2', provider: 's3', credential: 'archive',
};
const PRIMARY_R2 = {
  role: 'primary', backend: 'r2', bucket: 'files-r2', object: OBJECT, signing: 'aws4',
  host: '0123456789abcdef0123456789abcdef.r2.cloudflarestorage.com', provider: 'r2', credential: 'r2',
};
const ALL_SECRETS = {
  hmac_access_id: GCS.id, hmac_secret: GCS.secret, archive_access_id: ARCHIVE.id, archive_secret: ARCHIVE.secret,
  r2_access_id: R2.id, r2_secret: R2.secret,
};

let emulator: Emulator;
let dir: TempDir;

function manifest(origins: unknown[], secrets: LocalServerToml['secrets'] = ALL_SECRETS, extra: Record<string, string> = {}): string {
  const toml = localServerToml({
    backends: { gcs: emulator.url, archive: emulator.url, r2: emulator.url },
    config: { origins: JSON.stringify(origins), deadline_ms: '3000', ...extra },
    secrets,
  });
  return dir.write(`fastly-${Math.random().toString(36).slice(2)}.toml`, toml);
}

function runVerify(args: string[], env: Record<string, string> = {}, stdin?: string): Promise<ScriptRun> {
  return spawnScript('scripts/verify-credentials.ts', args, { env: { PATH: process.env.PATH, ...env }, ...(stdin === undefined ? {} : { stdin }) }).done;
}

describe('npm run verify --manifest with origins', () => {
  beforeAll(async () => {
    dir = makeTempDir('verify-origins-');
    emulator = await startEmulator({
      port: 0, buckets: ['files-gcs'],
      hmacKeys: [GCS, ARCHIVE, R2].map(({ id, secret }) => ({ accessId: id, secret })),
      s3Buckets: [{ name: 'files-archive', provider: 's3', region: 'us-west-2' }, { name: 'files-r2', provider: 'r2' }],
    });
    const body = canaryBody(new Date());
    emulator.putObject('files-gcs', OBJECT, body, { contentType: 'application/json' });
    for (const bucket of ['files-archive', 'files-r2']) emulator.putObject(bucket, OBJECT, body, { contentType: 'application/json', checksumAlgorithm: 'CRC32C' });
  });
  afterAll(async () => {
    await emulator.close();
    dir.remove();
  });

  it('both origins healthy: one PASS line per origin naming its target and bucket, each credential, exit 0', async () => {
    const run = await runVerify(['--manifest', manifest([PRIMARY_GCS, FALLBACK_S3])]);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toMatch(/^PASS verify 2 of 2 origins ok checked=/);
    expect(lines).toContainEqual(expect.stringMatching(/^PASS origin:primary gs:\/\/files-gcs\/edge-canary\/canary\.json backend=gcs ok 200 \d+ms age=[\d.]+s seq=\d+$/));
    expect(lines).toContainEqual(expect.stringMatching(/^PASS origin:fallback s3:\/\/files-archive\/edge-canary\/canary\.json backend=archive ok 200 \d+ms age=[\d.]+s seq=\d+$/));
    expect(run.stdout).toContain(`credential origin:primary hmac GOOG…0001 fingerprint ${await fingerprintSecret(GCS.secret)}`);
    expect(run.stdout).toContain(`credential origin:fallback archive AKIA…0001 fingerprint ${await fingerprintSecret(ARCHIVE.secret)}`);
  });

  it("the fallback's secret wrong: the canary would only warn, the verifier fails it (exit 2) and says which", async () => {
    const run = await runVerify(['--manifest', manifest([PRIMARY_GCS, FALLBACK_S3])], { CANARY_ARCHIVE_SECRET: WRONG });
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/^FAIL verify 1 of 2 origins failed: origin:fallback auth_failed 403 SignatureDoesNotMatch checked=/);
    expect(run.stdout).toMatch(/^PASS origin:primary gs:\/\/files-gcs\//m);
    expect(run.stdout).toMatch(/^FAIL origin:fallback s3:\/\/files-archive\/edge-canary\/canary\.json backend=archive auth_failed 403 SignatureDoesNotMatch /m);
    expect(run.stdout).toMatch(/^ {2}action: the bucket rejects this secret: compare fingerprint /m);
    expect(run.stdout).toContain(`credential origin:fallback archive AKIA…0001 fingerprint ${await fingerprintSecret(WRONG)}`);
    expect(run.stderr).toContain('edge-canary verify: origin:fallback failed: exit 2');
  });

  it('an R2-style 401 Unauthorized is auth_failed with R2\'s action', async () => {
    const run = await runVerify(['--manifest', manifest([PRIMARY_R2, FALLBACK_S3]), '--json'], { CANARY_R2_SECRET: WRONG });
    expect(run.code).toBe(2);
    const body = JSON.parse(run.stdout) as { status: string; failed: string[]; origins: { target: string; status: string; reason: string; httpStatus: number; errorCode: string; action: string; provider: string; bucket: string; credential: { name: string } }[] };
    expect(body).toMatchObject({ status: 'fail', failed: ['origin:primary'] });
    expect(body.origins[0]).toMatchObject({ target: 'origin:primary', provider: 'r2', bucket: 'files-r2', status: 'fail', reason: 'auth_failed', httpStatus: 401, errorCode: 'Unauthorized', credential: { name: 'r2' } });
    expect(body.origins[0]!.action).toContain('Cloudflare R2 refused the credential');
    expect(body.origins[1]).toMatchObject({ target: 'origin:fallback', status: 'pass', reason: 'ok' });
  });

  it('a missing object on the S3 fallback (403 AccessDenied) says it may be missing, not only refused', async () => {
    const run = await runVerify(['--manifest', manifest([PRIMARY_GCS, { ...FALLBACK_S3, object: 'edge-canary/nothing-here.json' }])]);
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/^FAIL origin:fallback s3:\/\/files-archive\/edge-canary\/nothing-here\.json backend=archive auth_failed 403 AccessDenied /m);
    expect(run.stdout).toContain('either the credential is refused or s3://files-archive/edge-canary/nothing-here.json is missing');
  });

  it('--origin primary verifies that origin alone, with only its own credential at hand', async () => {
    const onlyPrimary = { hmac_access_id: GCS.id, hmac_secret: GCS.secret };
    const file = manifest([PRIMARY_GCS, FALLBACK_S3], onlyPrimary);
    const run = await runVerify(['--manifest', file, '--origin', 'primary']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^PASS verify 1 of 1 origin ok/);
    expect(run.stdout).not.toContain('origin:fallback');
    const all = await runVerify(['--manifest', file]);
    expect(all.code).toBe(1);
    expect(all.stderr).toContain('missing archive_access_id for origin:fallback (credential "archive"): set CANARY_ARCHIVE_ACCESS_ID and CANARY_ARCHIVE_SECRET');
  });

  it('--origin fallback with the credential from the environment or stdin, byte for byte', async () => {
    const file = manifest([PRIMARY_GCS, FALLBACK_S3], {});
    const fromEnv = await runVerify(['--manifest', file, '--origin', 'fallback'], { CANARY_ARCHIVE_ACCESS_ID: ARCHIVE.id, CANARY_ARCHIVE_SECRET: ARCHIVE.secret });
    expect(fromEnv.code, fromEnv.stderr).toBe(0);
    expect(fromEnv.stdout).toMatch(/^PASS origin:fallback s3:\/\/files-archive\//m);
    const fromStdin = await runVerify(['--manifest', file, '--origin', 'origin:fallback', '--secret-stdin'], {}, `${ARCHIVE.id}\n${ARCHIVE.secret}`);
    expect(fromStdin.code, fromStdin.stderr).toBe(0);
    const newline = await runVerify(['--manifest', file, '--origin', 'fallback', '--secret-stdin'], { CANARY_ARCHIVE_ACCESS_ID: ARCHIVE.id }, `${ARCHIVE.secret}\n`);
    expect(newline.code).toBe(2);
    expect(newline.stderr).toContain('warning: the secret from stdin ends with a newline');
  });

  it('compares each origin with the credential a deployed canary reports for the same target', async () => {
    const { createServer } = await import('node:http');
    const deployed = createServer((_request, response) => {
      response.setHeader('content-type', 'application/health+json');
      response.end(JSON.stringify({ credentials: { 'origin:primary': { accessId: 'GOOG…0001', fingerprint: 'aaaaaaaaaaaa' }, 'origin:fallback': { accessId: 'AKIA…0001', fingerprint: fingerprintOfArchive } } }));
    });
    const fingerprintOfArchive = await fingerprintSecret(ARCHIVE.secret);
    await new Promise<void>((resolve) => deployed.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(deployed.address() as { port: number }).port}/health`;
    try {
      const run = await runVerify(['--manifest', manifest([PRIMARY_GCS, FALLBACK_S3]), '--compare-health', url]);
      expect(run.stdout).toContain(`compare origin:primary: DIFFERENT, ${url} uses GOOG…0001 fingerprint aaaaaaaaaaaa, you verified GOOG…0001 fingerprint ${await fingerprintSecret(GCS.secret)}`);
      expect(run.stdout).toContain(`compare origin:fallback: MATCH, ${url} uses AKIA…0001 fingerprint ${fingerprintOfArchive}`);
      expect(run.stderr).toContain('differs or is unknown for origin:primary: exit 2');
      expect(run.code).toBe(2);
    } finally {
      deployed.close();
    }
  });

  it.each([
    { name: 'an unknown --origin', args: ['--origin', 'archive'], message: '--origin "archive": the manifest\'s origins are primary, fallback' },
    { name: 'a flat flag with origins', args: ['--bucket', 'files-gcs'], message: 'lists origins, and each entry says its own; verify one of them with --origin' },
    { name: '--origin-url for two origins', args: ['--origin-url', 'http://127.0.0.1:9'], message: '--origin-url is where one origin is read, and 2 are selected: add --origin primary or --origin fallback' },
    { name: '--secret-stdin for two credentials', args: ['--secret-stdin'], message: '--secret-stdin carries one credential, and the selected origins use 2 (hmac, archive)' },
  ])('$name -> exit 1', async ({ args, message }) => {
    const run = await runVerify(['--manifest', manifest([PRIMARY_GCS, FALLBACK_S3]), ...args], {}, '');
    expect(run.stderr).toContain(message);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
  });

  it("an origins value the service would refuse: the service's own errors, by entry and field, exit 1", async () => {
    const run = await runVerify(['--manifest', manifest([PRIMARY_GCS, { ...FALLBACK_S3, regoin: 'us-west-2', region: 'auto' }])]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('origins[1].regoin: unknown field');
    expect(run.stderr).toContain('origins[1].region: provider s3 signs with the bucket\'s region');
  });

  it('a secret pasted into an origins field is hidden in the error that quotes it', async () => {
    const run = await runVerify(['--manifest', manifest([PRIMARY_GCS, { ...FALLBACK_S3, url_style: ARCHIVE.secret }])]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('origins[1].url_style: must be one of path, virtual (got "[credential hidden]")');
    expect(run.stderr).not.toContain(ARCHIVE.secret);
  });

  it('--compare-health with no signing origin selected is a usage error', async () => {
    const unsigned = { ...PRIMARY_GCS, signing: 'none', credential: undefined };
    const run = await runVerify(['--manifest', manifest([unsigned]), '--compare-health', 'http://127.0.0.1:9/health']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('--compare-health compares credentials, and no selected origin signs (signing none)');
  });

  it('--origin without an origins value is a usage error', async () => {
    const run = await runVerify(['--bucket', 'files-gcs', '--object', OBJECT, '--origin', 'primary'], { CANARY_HMAC_ACCESS_ID: GCS.id, CANARY_HMAC_SECRET: GCS.secret });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('--origin names an entry of the origins value in --manifest FILE, and there is none');
  });
});

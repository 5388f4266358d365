/** `npm run verify -- --provider`: one S3-compatible bucket read with its store's semantics. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../scripts/emulator';
import { canaryBody } from '../support/fake-platform';
import { registerSecret } from '../support/secret-scan';
import { spawnScript, type ScriptRun } from '../support/spawn-script';

const OBJECT = 'edge-canary/canary.json';
const KEY = { id: 'AKIAVERIFYPROVIDER0001', secret: 'verify-provider-test-secret-0001' };
registerSecret(KEY.secret, { label: 'KEY.secret (test/verify/verify-provider.test.ts)' });
const ENV = { CANARY_HMAC_ACCESS_ID: KEY.id, CANARY_HMAC_SECRET: KEY.secret };

function runVerify(args: string[], env: Record<string, string> = ENV): Promise<ScriptRun> {
  return spawnScript('scripts/verify-credentials.ts', args, { env: { PATH: process.env.PATH, ...env } }).done;
}

describe('npm run verify --provider', () => {
  let emulator: Emulator;
  let archive: string[];
  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, buckets: [], hmacKeys: [{ accessId: KEY.id, secret: KEY.secret }], s3Buckets: [{ name: 'files-archive', provider: 's3', region: 'us-west-2' }] });
    emulator.putObject('files-archive', OBJECT, canaryBody(new Date()), { contentType: 'application/json', checksumAlgorithm: 'CRC32C' });
    archive = ['--bucket', 'files-archive', '--object', OBJECT, '--signing', 'aws4', '--host', 's3.us-west-2.amazonaws.com', '--region', 'us-west-2', '--origin-url', emulator.url];
  });
  afterAll(() => emulator.close());

  it('reads an S3 bucket as the canary does: pass', async () => {
    const run = await runVerify([...archive, '--provider', 's3']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^PASS edge-canary ok/);
    expect(run.stdout).toContain('PASS origin:primary ok 200');
  });

  it('a missing object on S3 (403 AccessDenied) is explained as possibly missing, not only refused', async () => {
    const missing = archive.map((word) => (word === OBJECT ? 'edge-canary/nothing-here.json' : word));
    const run = await runVerify([...missing, '--provider', 's3']);
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('FAIL origin:primary auth_failed 403 AccessDenied');
    expect(run.stdout).toContain('either the credential is refused or s3://files-archive/edge-canary/nothing-here.json is missing');
  });

  it('an unknown provider is a usage error, exit 1', async () => {
    const run = await runVerify([...archive, '--provider', 'wasabi']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('--provider must be one of gcs, s3, b2, r2, other, got "wasabi"');
  });
});

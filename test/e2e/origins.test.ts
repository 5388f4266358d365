/**
 * Several origins end to end (both runtimes, the emulator's S3-flavoured buckets): a Backblaze B2
 * primary and an AWS S3 archive fallback, PyPI's topology, each with its own key and backend.
 */
import { afterEach, expect, it } from 'vitest';
import { startEmulator } from '../../scripts/emulator/index';
import type { S3BucketSpec } from '../../scripts/emulator/index';
import { parseSyncArgs } from '../../scripts/statuspage/args';
import { createRateLimiter } from '../../scripts/statuspage/rate-limiter';
import { runStatuspageSync } from '../../scripts/statuspage/sync-loop';
import { startCanaryStack, type CanaryStack } from '../hardening/support/canary-stack';
import { startFakeStatuspage, type FakeStatuspage } from '../statuspage/fake-statuspage';
import { canaryBody } from '../support/fake-platform';
import { describeOnRuntimes, type Runtime } from '../support/runtimes';
import { registerSecret } from '../support/secret-scan';

const OBJECT = 'edge-canary/canary.json';
const B2 = { id: 'B2E2EPRIMARYKEYID00000001', secret: 'b2-e2e-primary-application-key-0001' };
const ARCHIVE = { id: 'AKIAE2EARCHIVEKEY0001', secret: 's3-e2e-archive-secret-access-key-0001' };
const WRONG = 'a-secret-that-the-store-never-issued-01';
for (const [secret, label] of [[B2.secret, 'B2.secret'], [ARCHIVE.secret, 'ARCHIVE.secret'], [WRONG, 'WRONG']] as const) {
  registerSecret(secret, { label: `${label} (test/e2e/origins.test.ts)` });
}

const PRIMARY_B2 = {
  role: 'primary', backend: 'b2', bucket: 'files-b2', object: OBJECT, signing: 'aws4',
  host: 's3.us-east-005.backblazeb2.com', url_style: 'path', region: 'us-east-005', provider: 'b2', credential: 'primary',
};
const PRIMARY_R2 = { ...PRIMARY_B2, bucket: 'files-r2', host: '0123456789abcdef0123456789abcdef.r2.cloudflarestorage.com', region: 'auto', provider: 'r2' };
const FALLBACK_S3 = {
  role: 'fallback', backend: 'archive', bucket: 'files-archive', object: OBJECT, signing: 'aws4',
  host: 's3.us-west-2.amazonaws.com', url_style: 'virtual', region: 'us-west-2', provider: 's3', credential: 'archive',
};
const BUCKETS: S3BucketSpec[] = [
  { name: 'files-b2', provider: 'b2', region: 'us-east-005' },
  { name: 'files-archive', provider: 's3', region: 'us-west-2' },
  { name: 'files-r2', provider: 'r2' },
];

interface Start {
  origins?: unknown[];
  secrets?: Partial<Record<'primary_secret' | 'archive_secret', string>>;
  resultTtlMs?: number;
}

let stack: CanaryStack | null = null;
let api: FakeStatuspage | null = null;
afterEach(async () => {
  await Promise.all([stack?.close(), api?.close()]);
  stack = null;
  api = null;
});

async function startOn(runtime: Runtime, { origins = [PRIMARY_B2, FALLBACK_S3], secrets = {}, resultTtlMs = 0 }: Start = {}): Promise<CanaryStack> {
  const emulator = await startEmulator({ port: 0, buckets: [], hmacKeys: [{ accessId: B2.id, secret: B2.secret }, { accessId: ARCHIVE.id, secret: ARCHIVE.secret }], s3Buckets: BUCKETS });
  const body = canaryBody(new Date());
  for (const { name } of BUCKETS) emulator.putObject(name, OBJECT, body, { contentType: 'application/json', cacheControl: 'no-store, max-age=0', checksumAlgorithm: 'CRC32C' });
  stack = await startCanaryStack(runtime, {
    emulator,
    config: { bucket: null, object: null, signing: null, origins: JSON.stringify(origins), result_ttl_ms: String(resultTtlMs), deadline_ms: '2000' },
    backends: { gcs: null, b2: emulator.url, archive: emulator.url },
    secrets: {
      primary_access_id: B2.id, primary_secret: secrets.primary_secret ?? B2.secret,
      archive_access_id: ARCHIVE.id, archive_secret: secrets.archive_secret ?? ARCHIVE.secret,
    },
  });
  return stack;
}

interface Health {
  httpStatus: number;
  body: { status: string; reason: string; output: string; action: string; statuspage: string; checks: Record<string, { status: string; reason: string; httpStatus: number | null; errorCode: string | null }[]> };
}

async function health(canary: CanaryStack): Promise<Health> {
  const response = await fetch(`${canary.canary.url}/health`);
  return { httpStatus: response.status, body: (await response.json()) as Health['body'] };
}
const fetchCheck = (answer: Health, target: string) => answer.body.checks[`${target}:fetch`]![0]!;

describeOnRuntimes('a B2 primary and an S3 archive fallback', (runtime) => {
  const start = (options?: Start) => startOn(runtime, options);

  it('both healthy: 200 pass, each bucket read with its own key through its own backend', async () => {
    const canary = await start();
    const answer = await health(canary);
    expect([answer.httpStatus, answer.body.status, answer.body.statuspage]).toEqual([200, 'pass', 'operational']);
    expect(Object.keys(answer.body.checks)).toEqual(['origin:primary:fetch', 'origin:primary:freshness', 'origin:fallback:fetch', 'origin:fallback:freshness']);
    const reads = canary.originRequests().filter((entry) => entry.method === 'GET');
    expect(reads.map((entry) => [entry.bucket, entry.accessId, entry.auth, entry.verdict]).sort()).toEqual([
      ['files-archive', ARCHIVE.id, 'aws4', 'ok'],
      ['files-b2', B2.id, 'aws4', 'ok'],
    ]);
  });

  it("the fallback's secret wrong: 200 warn naming the fallback, Statuspage operational", async () => {
    const answer = await health(await start({ secrets: { archive_secret: WRONG } }));
    expect([answer.httpStatus, answer.body.status, answer.body.reason, answer.body.statuspage]).toEqual([200, 'warn', 'auth_failed', 'operational']);
    expect(answer.body.output).toContain('origin:fallback: auth_failed (403 SignatureDoesNotMatch): the fallback cannot be read; users are unaffected until the primary fails');
    expect(fetchCheck(answer, 'origin:primary').status).toBe('pass');
  });

  it("the primary's secret wrong: 503 fail, major_outage", async () => {
    const answer = await health(await start({ secrets: { primary_secret: WRONG } }));
    expect([answer.httpStatus, answer.body.status, answer.body.reason, answer.body.statuspage]).toEqual([503, 'fail', 'auth_failed', 'major_outage']);
    expect(fetchCheck(answer, 'origin:primary')).toMatchObject({ httpStatus: 403, errorCode: 'SignatureDoesNotMatch' });
    expect(fetchCheck(answer, 'origin:fallback').status).toBe('pass');
  });

  it('an R2 primary refusing the key: 401 Unauthorized is auth_failed, 503', async () => {
    const answer = await health(await start({ origins: [PRIMARY_R2, FALLBACK_S3], secrets: { primary_secret: WRONG } }));
    expect([answer.httpStatus, answer.body.reason]).toEqual([503, 'auth_failed']);
    expect(fetchCheck(answer, 'origin:primary')).toMatchObject({ httpStatus: 401, errorCode: 'Unauthorized' });
    expect(answer.body.action).toContain('Cloudflare R2 refused the credential (HTTP 401 Unauthorized)');
  });

  it('the archive object missing: S3 answers 403 AccessDenied, and the report says it may be a missing object', async () => {
    const canary = await start();
    canary.emulator.removeObject('files-archive', OBJECT);
    const answer = await health(canary);
    expect([answer.httpStatus, answer.body.status, answer.body.reason]).toEqual([200, 'warn', 'auth_failed']);
    expect(fetchCheck(answer, 'origin:fallback')).toMatchObject({ httpStatus: 403, errorCode: 'AccessDenied' });
    expect(answer.body.action).toContain('either the credential is refused or s3://files-archive/edge-canary/canary.json is missing and key AKIA…0001 may not list the bucket');
  });

  it('a body altered on the way from B2: integrity_mismatch by its x-amz-checksum-crc32c, 503', async () => {
    const canary = await start({ origins: [PRIMARY_B2] });
    canary.emulator.setFault({ type: 'corrupt' });
    const answer = await health(canary);
    expect([answer.httpStatus, answer.body.status, answer.body.reason]).toEqual([503, 'fail', 'integrity_mismatch']);
    expect(answer.body.output).toMatch(/^origin:primary: integrity_mismatch \(crc32c [0-9a-f]{8} != x-amz-checksum-crc32c [0-9a-f]{8}\)$/);
  });

  it('an object written without a checksum is checked by its MD5 ETag', async () => {
    const canary = await start({ origins: [PRIMARY_B2] });
    canary.emulator.putObject('files-b2', OBJECT, canaryBody(new Date()), { contentType: 'application/json' });
    canary.emulator.setFault({ type: 'corrupt' });
    const answer = await health(canary);
    expect(answer.body.output).toMatch(/^origin:primary: integrity_mismatch \(md5 [0-9a-f]{32} != ETag [0-9a-f]{32}\)$/);
  });

  it('the Statuspage sync leaves the component operational while only the fallback fails', async () => {
    const canary = await start({ secrets: { archive_secret: WRONG } });
    api = await startFakeStatuspage('page1', 'comp1', 'major_outage');
    const argv = ['--health-url', `${canary.canary.url}/health`, '--page-id', 'page1', '--component-id', 'comp1', '--api-base', api.apiBase, '--confirm', '1'];
    const command = parseSyncArgs(argv, { STATUSPAGE_API_KEY: 'sp-key-0123456789abcdef' });
    if (command.kind !== 'run') throw new Error('expected a run command');
    const out: string[] = [];
    const code = await runStatuspageSync(command.options, { out: (line) => out.push(line), err: (line) => out.push(line), limiter: createRateLimiter(20) });
    expect(code).toBe(0);
    expect(api.patches().map((request) => request.body)).toEqual([{ component: { status: 'operational' } }]);
  });
});

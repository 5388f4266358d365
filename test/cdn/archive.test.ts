/**
 * The local CDN restarting onto an AWS-S3-style archive the way PyPI's service does: the archive
 * read with SigV4 (its own key, region, virtual-host style), on a 403, 404 or 5xx from the primary,
 * and, with `canaryRestarts`, for the canary path too (pass, never cached, but restarted).
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { startCdn, type CdnOptions, type RunningCdn } from '../../scripts/cdn';
import { startEmulator, type Emulator } from '../../scripts/emulator';
import { spawnScript } from '../support/spawn-script';
import { CANARY_OBJECT, CDN_KEY, PACKAGE_OBJECT, PRIMARY_BUCKET, canaryJson, get } from './fixture';

const S3_ARCHIVE = 'pkg-archive-s3';
const S3_KEY = { accessId: 'AKIATESTCDNS3ARCHIVE1', secret: 'test-cdn-s3-archive-secret-0001' };

let emulator: Emulator;
let cdn: RunningCdn | undefined;

beforeEach(async () => {
  emulator = await startEmulator({ port: 0, buckets: [PRIMARY_BUCKET], hmacKeys: [CDN_KEY, S3_KEY], s3Buckets: [{ name: S3_ARCHIVE, provider: 's3', region: 'us-west-2' }] });
  const canary = { contentType: 'application/json', cacheControl: 'no-store, max-age=0' };
  emulator.putObject(PRIMARY_BUCKET, PACKAGE_OBJECT, 'primary package bytes', { contentType: 'application/gzip' });
  emulator.putObject(S3_ARCHIVE, PACKAGE_OBJECT, 'archive package bytes', { contentType: 'application/gzip' });
  emulator.putObject(PRIMARY_BUCKET, CANARY_OBJECT, canaryJson(new Date(), 1, 'primary'), canary);
  emulator.putObject(S3_ARCHIVE, CANARY_OBJECT, canaryJson(new Date(), 1, 'archive'), canary);
});
afterEach(async () => {
  await cdn?.close();
  cdn = undefined;
  await emulator.close();
});

async function cdnWith(extra: Partial<CdnOptions> = {}): Promise<RunningCdn> {
  cdn = await startCdn({
    origin: { url: emulator.url, bucket: PRIMARY_BUCKET, ...CDN_KEY },
    fallback: { url: emulator.url, bucket: S3_ARCHIVE, ...S3_KEY, signing: 'aws4', host: 's3.us-west-2.amazonaws.com', region: 'us-west-2', urlStyle: 'virtual' },
    canaryPath: CANARY_OBJECT,
    ...extra,
  });
  return cdn;
}

const archiveReads = () => emulator.requestLog().filter((entry) => entry.bucket === S3_ARCHIVE);

it('reads the S3 archive with SigV4, its own key and the virtual host, after the primary refuses the key', async () => {
  const { url } = await cdnWith();
  emulator.rotateKey(CDN_KEY.accessId);
  const answer = await get(`${url}/${PACKAGE_OBJECT}`);
  expect([answer.status, answer.body, answer.headers.get('fastly-restarts')]).toEqual([200, 'archive package bytes', '1']);
  expect(archiveReads().map((e) => [e.auth, e.accessId, e.host, e.verdict])).toEqual([['aws4', S3_KEY.accessId, `${S3_ARCHIVE}.s3.us-west-2.amazonaws.com`, 'ok']]);
});

it.each([
  { name: '404 (the primary lacks the file)', breakPrimary: () => emulator.removeObject(PRIMARY_BUCKET, PACKAGE_OBJECT) },
  { name: '503', breakPrimary: () => void emulator.setFault({ type: 'status', status: 503, bucket: PRIMARY_BUCKET }) },
])('restarts onto the archive on a $name from the primary', async ({ breakPrimary }) => {
  const { url } = await cdnWith();
  breakPrimary();
  const answer = await get(`${url}/${PACKAGE_OBJECT}`);
  expect([answer.status, answer.body, answer.headers.get('fastly-restarts')]).toEqual([200, 'archive package bytes', '1']);
});

it('an archive that refuses its own key answers what the archive said: no second restart', async () => {
  const { url } = await cdnWith();
  emulator.rotateKey(CDN_KEY.accessId);
  emulator.rotateKey(S3_KEY.accessId);
  const answer = await get(`${url}/${PACKAGE_OBJECT}`);
  expect([answer.status, answer.headers.get('fastly-restarts')]).toEqual([403, '1']);
  expect(answer.body).toContain('<Code>SignatureDoesNotMatch</Code>');
});

it('with canaryRestarts the canary path restarts too (PyPI today), and is still never cached', async () => {
  const { url } = await cdnWith({ canaryRestarts: true });
  emulator.rotateKey(CDN_KEY.accessId);
  const first = await get(`${url}/${CANARY_OBJECT}`);
  const second = await get(`${url}/${CANARY_OBJECT}`);
  for (const answer of [first, second]) {
    expect([answer.status, answer.headers.get('fastly-restarts'), answer.headers.get('x-cache')]).toEqual([200, '1', 'MISS']);
    expect(JSON.parse(answer.body)).toMatchObject({ writer: 'archive' });
  }
  expect(archiveReads()).toHaveLength(2);
  expect(cdn?.stats.stored).toBe(0);
});

it('npm run cdn: --fallback-signing, --fallback-bucket-host, --fallback-region and --fallback-url-style sign the archive read', async () => {
  const args = ['--origin', emulator.url, '--bucket', PRIMARY_BUCKET, '--port', '0', '--fallback-bucket', S3_ARCHIVE,
    '--fallback-signing', 'aws4', '--fallback-bucket-host', 's3.us-west-2.amazonaws.com', '--fallback-region', 'us-west-2', '--fallback-url-style', 'virtual'];
  const env = { ...process.env, CDN_HMAC_ACCESS_ID: CDN_KEY.accessId, CDN_HMAC_SECRET: CDN_KEY.secret, CDN_FALLBACK_HMAC_ACCESS_ID: S3_KEY.accessId, CDN_FALLBACK_HMAC_SECRET: S3_KEY.secret };
  const { child, output, done } = spawnScript('scripts/cdn/cli.ts', args, { env });
  let url: string | undefined;
  for (let i = 0; i < 200 && url === undefined; i++) {
    url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output().stderr)?.[1];
    if (url === undefined) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  emulator.rotateKey(CDN_KEY.accessId);
  const answer = await get(`${url}/${PACKAGE_OBJECT}`);
  child.kill('SIGTERM');
  const run = await done;
  expect([answer.status, answer.body]).toEqual([200, 'archive package bytes']);
  expect(run.code).toBe(0);
  expect(run.stdout).toContain(`GET /${PACKAGE_OBJECT} 200 MISS via fallback (Fastly-Restarts: 1)`);
  expect(run.stdout + run.stderr).not.toContain(S3_KEY.secret);
});

it('npm run cdn: a signing scheme it does not know is a usage error', async () => {
  const bad = await spawnScript('scripts/cdn/cli.ts', ['--bucket', PRIMARY_BUCKET, '--fallback-bucket', S3_ARCHIVE, '--fallback-signing', 'sigv4'], {
    env: { ...process.env, CDN_HMAC_ACCESS_ID: 'x', CDN_HMAC_SECRET: 'y', CDN_FALLBACK_HMAC_ACCESS_ID: 'x', CDN_FALLBACK_HMAC_SECRET: 'y' },
  }).done;
  expect(bad.code).toBe(1);
  expect(bad.stderr).toContain('--fallback-signing must be one of goog4, aws4, v2, none, got "sigv4"');
});

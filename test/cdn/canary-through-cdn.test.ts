/** The edge check through the local production CDN: cache and fallback detection, on both runtimes. */
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { parseManifest } from '../../src/node/manifest';
import type { RunningCdn } from '../../scripts/cdn';
import { startCanaryServer, type CanaryServer } from '../../scripts/stack/canary';
import type { Runtime } from '../../scripts/stack/runtime';
import { describeOnRuntimes } from '../support/runtimes';
import { canaryManifestToml, DEMO_SECRET_ENV } from '../../scripts/demo/canary-manifest';
import type { Emulator } from '../../scripts/emulator';
import { CANARY_OBJECT, CDN_KEY, PRIMARY_BUCKET, fillBuckets, startBuckets, startTestCdn, type CdnOverrides } from './fixture';

let emulator: Emulator;
let cdn: RunningCdn | undefined;
let canary: CanaryServer | undefined;

beforeAll(async () => {
  emulator = await startBuckets();
});
afterEach(async () => {
  await canary?.close();
  await cdn?.close();
  canary = undefined;
  cdn = undefined;
  emulator.reset();
  fillBuckets(emulator);
});
afterAll(() => emulator.close());

interface HealthBody {
  status: string;
  reason: string;
  statuspage: string;
  checks: Record<string, { status: string; reason: string; errorCode: string | null; httpStatus: number | null }[]>;
}

/** The canary holds the production CDN's own key, as it should in production, and checks both paths. */
async function canaryBehind(runtime: Runtime, overrides: CdnOverrides) {
  cdn = await startTestCdn(emulator, overrides);
  const toml = canaryManifestToml({
    emulatorUrl: emulator.url, cdnUrl: cdn.url, edgeUrl: `${cdn.url}/${CANARY_OBJECT}`,
    bucket: PRIMARY_BUCKET, object: CANARY_OBJECT, accessId: CDN_KEY.accessId,
    config: { result_ttl_ms: '0', deadline_ms: '3000' },
  });
  canary = await startCanaryServer({
    manifest: parseManifest(toml, { file: 'test.toml', dir: '.' }),
    runtime,
    host: '127.0.0.1',
    port: 0,
    platform: { env: { [DEMO_SECRET_ENV]: CDN_KEY.secret }, log: () => undefined },
  });
  const healthUrl = `${canary.url}/health`;
  return async () => {
    const response = await fetch(healthUrl);
    return { httpStatus: response.status, body: (await response.json()) as HealthBody };
  };
}

const edge = (body: HealthBody) => body.checks['edge:fetch']?.[0];
const origin = (body: HealthBody) => body.checks['origin:fetch']?.[0];

describeOnRuntimes('the canary through the local production CDN', (runtime) => {
  it('passes through a CDN that applies the rule, even one forcing a TTL on everything', async () => {
    const health = await canaryBehind(runtime, { cachePolicy: 'service-ttl', canaryRule: true });
    await health();
    const { httpStatus, body } = await health();
    expect(httpStatus).toBe(200);
    expect(body).toMatchObject({ status: 'pass', reason: 'ok', statuspage: 'operational' });
    expect(edge(body)).toMatchObject({ status: 'pass', reason: 'ok' });
  });

  it('reports served_from_cache (partial_outage) when the CDN caches the canary without the rule', async () => {
    const health = await canaryBehind(runtime, { cachePolicy: 'service-ttl', canaryRule: false });
    expect((await health()).body.status).toBe('pass');
    const { httpStatus, body } = await health();
    expect(httpStatus).toBe(503);
    expect(body).toMatchObject({ status: 'fail', reason: 'served_from_cache', statuspage: 'partial_outage' });
    expect(origin(body)).toMatchObject({ status: 'pass' });
    expect(edge(body)).toMatchObject({ status: 'fail', reason: 'served_from_cache', httpStatus: 200 });
  });

  it('reports served_by_fallback when, without the rule, the archive answers for a rotated primary key', async () => {
    const health = await canaryBehind(runtime, { withFallback: true, canaryRule: false });
    emulator.rotateKey(CDN_KEY.accessId);
    const { httpStatus, body } = await health();
    expect(httpStatus).toBe(503);
    expect(origin(body)).toMatchObject({ reason: 'auth_failed', errorCode: 'SignatureDoesNotMatch' });
    expect(edge(body)).toMatchObject({ status: 'fail', reason: 'served_by_fallback', httpStatus: 200 });
  });

  it('reports edge auth_failed SignatureDoesNotMatch when the rule keeps the fallback away', async () => {
    const health = await canaryBehind(runtime, { withFallback: true, canaryRule: true });
    emulator.rotateKey(CDN_KEY.accessId);
    const { httpStatus, body } = await health();
    expect(httpStatus).toBe(503);
    expect(body).toMatchObject({ reason: 'auth_failed', statuspage: 'major_outage' });
    expect(edge(body)).toMatchObject({ status: 'fail', reason: 'auth_failed', httpStatus: 403, errorCode: 'SignatureDoesNotMatch' });
  });

  it("reports partial_outage when only the CDN's own credential is wrong", async () => {
    const health = await canaryBehind(runtime, { primarySecret: 'bm90LXRoZS1zZWNyZXQtdGhlLWJ1Y2tldC1rbm93cw==' });
    const { httpStatus, body } = await health();
    expect(httpStatus).toBe(503);
    expect(body).toMatchObject({ status: 'fail', reason: 'auth_failed', statuspage: 'partial_outage' });
    expect(origin(body)).toMatchObject({ status: 'pass' });
    expect(edge(body)).toMatchObject({ reason: 'auth_failed', errorCode: 'SignatureDoesNotMatch' });
  });
});

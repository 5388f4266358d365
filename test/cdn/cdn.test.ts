import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningCdn } from '../../scripts/cdn';
import type { Emulator } from '../../scripts/emulator';
import {
  ARCHIVE_BUCKET, CANARY_OBJECT, CDN_KEY, PACKAGE_OBJECT, PRIMARY_BUCKET,
  fillBuckets, get, manualClock, startBuckets, startTestCdn, type CdnOverrides,
} from './fixture';

let emulator: Emulator;
let cdn: RunningCdn | undefined;

beforeAll(async () => {
  emulator = await startBuckets();
});
afterEach(async () => {
  await cdn?.close();
  cdn = undefined;
  emulator.reset();
  fillBuckets(emulator);
});
afterAll(() => emulator.close());

async function cdnWith(overrides: CdnOverrides = {}) {
  cdn = await startTestCdn(emulator, overrides);
  return cdn;
}

const objectReads = (bucket: string) => emulator.requestLog().filter((e) => e.bucket === bucket && e.method === 'GET');

describe('local CDN cache', () => {
  it('answers a package file MISS, then HIT with an Age counted from when it was stored', async () => {
    const clock = manualClock();
    const { url } = await cdnWith({ now: clock.now, cachePolicy: 'service-ttl' });
    const first = await get(`${url}/${PACKAGE_OBJECT}`);
    clock.advance(5_400);
    const second = await get(`${url}/${PACKAGE_OBJECT}`);

    expect(first).toMatchObject({ status: 200, body: 'primary package bytes' });
    expect(first.headers.get('x-cache')).toBe('MISS');
    expect(first.headers.get('age')).toBe('0');
    expect(second).toMatchObject({ status: 200, body: 'primary package bytes' });
    expect(second.headers.get('x-cache')).toBe('HIT');
    expect(second.headers.get('age')).toBe('5');
    expect(objectReads(PRIMARY_BUCKET)).toHaveLength(1);
  });

  it('signs its bucket reads like production: GOOG4, its own key, Host storage.googleapis.com', async () => {
    const { url } = await cdnWith();
    await get(`${url}/${PACKAGE_OBJECT}`);
    expect(objectReads(PRIMARY_BUCKET)).toEqual([
      expect.objectContaining({ auth: 'goog4', accessId: CDN_KEY.accessId, host: 'storage.googleapis.com', verdict: 'ok', status: 200 }),
    ]);
  });

  it('respects no-store and private from the bucket under the origin policy', async () => {
    emulator.putObject(PRIMARY_BUCKET, 'packages/volatile.json', '{}', { contentType: 'application/json', cacheControl: 'no-store' });
    emulator.putObject(PRIMARY_BUCKET, 'packages/default.tar.gz', 'x');
    const { url } = await cdnWith({ cachePolicy: 'origin' });
    for (const path of ['packages/volatile.json', 'packages/default.tar.gz']) {
      const answers = [await get(`${url}/${path}`), await get(`${url}/${path}`)];
      expect(answers.map((a) => a.headers.get('x-cache'))).toEqual(['MISS', 'MISS']);
      expect(emulator.requestLog().filter((e) => e.object === path)).toHaveLength(2);
    }
  });

  it('stops serving an entry once the TTL is over', async () => {
    const clock = manualClock();
    const { url } = await cdnWith({ now: clock.now, cachePolicy: 'service-ttl', ttlSeconds: 60 });
    await get(`${url}/${PACKAGE_OBJECT}`);
    clock.advance(59_000);
    expect((await get(`${url}/${PACKAGE_OBJECT}`)).headers.get('x-cache')).toBe('HIT');
    clock.advance(1_000);
    const expired = await get(`${url}/${PACKAGE_OBJECT}`);
    expect(expired.headers.get('x-cache')).toBe('MISS');
    expect(expired.headers.get('age')).toBe('0');
    expect(objectReads(PRIMARY_BUCKET)).toHaveLength(2);
  });

  it('ignores the client asking for a fresh copy, as Fastly does: only the canary rule bypasses the cache', async () => {
    const { url } = await cdnWith({ cachePolicy: 'service-ttl' });
    await get(`${url}/${PACKAGE_OBJECT}`);
    const again = await get(`${url}/${PACKAGE_OBJECT}`, { headers: { 'cache-control': 'no-cache' } });
    expect(again.headers.get('x-cache')).toBe('HIT');
  });

  it('answers HEAD without a body, 405 for other methods, 404 for a path naming no object', async () => {
    const { url } = await cdnWith();
    const head = await fetch(`${url}/${PACKAGE_OBJECT}`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String('primary package bytes'.length));
    expect(await head.text()).toBe('');
    const post = await fetch(`${url}/${PACKAGE_OBJECT}`, { method: 'POST', body: 'x' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    expect((await get(`${url}/`)).status).toBe(404);
  });
});

describe('the canary rule in the local CDN (same logic as snippets/compute)', () => {
  it('never caches the canary path, even when the service forces a TTL on everything', async () => {
    const clock = manualClock();
    const { url } = await cdnWith({ now: clock.now, cachePolicy: 'service-ttl', canaryRule: true });
    const answers = [];
    for (let i = 0; i < 3; i++) {
      answers.push(await get(`${url}/${CANARY_OBJECT}`));
      clock.advance(10_000);
    }
    expect(answers.map((a) => [a.status, a.headers.get('x-cache'), a.headers.get('age')])).toEqual([
      [200, 'MISS', '0'], [200, 'MISS', '0'], [200, 'MISS', '0'],
    ]);
    expect(objectReads(PRIMARY_BUCKET)).toHaveLength(3);
    expect(cdn?.stats).toMatchObject({ passes: 3, hits: 0, stored: 0 });
  });

  it('treats another spelling of the canary path as the canary', async () => {
    const { url } = await cdnWith({ cachePolicy: 'service-ttl' });
    await get(`${url}/edge-canary/canary%2Ejson`);
    expect((await get(`${url}/edge-canary/canary%2Ejson`)).headers.get('x-cache')).toBe('MISS');
  });

  it('without the rule, a service TTL caches the canary: HIT with Age', async () => {
    const clock = manualClock();
    const { url } = await cdnWith({ now: clock.now, cachePolicy: 'service-ttl', canaryRule: false });
    await get(`${url}/${CANARY_OBJECT}`);
    clock.advance(3_000);
    const cached = await get(`${url}/${CANARY_OBJECT}`);
    expect(cached.headers.get('x-cache')).toBe('HIT');
    expect(cached.headers.get('age')).toBe('3');
    expect(objectReads(PRIMARY_BUCKET)).toHaveLength(1);
  });

  it("without the rule, an honest cache still keeps the canary out: the uploader's no-store is respected", async () => {
    const { url } = await cdnWith({ cachePolicy: 'origin', canaryRule: false });
    await get(`${url}/${CANARY_OBJECT}`);
    expect((await get(`${url}/${CANARY_OBJECT}`)).headers.get('x-cache')).toBe('MISS');
  });
});

describe('fallback to the archive bucket', () => {
  it('serves a package file from the archive with Fastly-Restarts: 1 when the primary key is rotated', async () => {
    const { url } = await cdnWith({ withFallback: true });
    emulator.rotateKey(CDN_KEY.accessId);
    const answer = await get(`${url}/${PACKAGE_OBJECT}`);
    expect(answer).toMatchObject({ status: 200, body: 'archive package bytes' });
    expect(answer.headers.get('fastly-restarts')).toBe('1');
    expect(objectReads(PRIMARY_BUCKET).map((e) => e.verdict)).toEqual(['SignatureDoesNotMatch']);
    expect(objectReads(ARCHIVE_BUCKET).map((e) => e.verdict)).toEqual(['ok']);
    expect(cdn?.stats.fallbacks).toBe(1);
  });

  it('never falls back for the canary with the rule: the primary 403 reaches the client', async () => {
    const { url } = await cdnWith({ withFallback: true, canaryRule: true });
    emulator.rotateKey(CDN_KEY.accessId);
    const answer = await get(`${url}/${CANARY_OBJECT}`);
    expect(answer.status).toBe(403);
    expect(answer.body).toContain('<Code>SignatureDoesNotMatch</Code>');
    expect(answer.headers.get('fastly-restarts')).toBeNull();
    expect(objectReads(ARCHIVE_BUCKET)).toHaveLength(0);
  });

  it('without the rule, the canary comes from the archive, marked Fastly-Restarts: 1', async () => {
    const { url } = await cdnWith({ withFallback: true, canaryRule: false });
    emulator.rotateKey(CDN_KEY.accessId);
    const answer = await get(`${url}/${CANARY_OBJECT}`);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ writer: 'archive' });
    expect(answer.headers.get('fastly-restarts')).toBe('1');
  });

  it('falls back when the primary bucket is unreachable (5xx), and not at all without a fallback', async () => {
    const withFallback = await cdnWith({ withFallback: true });
    emulator.setFault({ type: 'status', status: 503, count: 1 });
    const answer = await get(`${withFallback.url}/${PACKAGE_OBJECT}`);
    expect(answer).toMatchObject({ status: 200, body: 'archive package bytes' });
    await withFallback.close();

    const alone = await cdnWith();
    emulator.rotateKey(CDN_KEY.accessId);
    const refused = await get(`${alone.url}/${PACKAGE_OBJECT}`);
    expect(refused.status).toBe(403);
    expect(refused.headers.get('fastly-restarts')).toBeNull();
  });
});

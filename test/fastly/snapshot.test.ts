/**
 * src/fastly/snapshot.ts: what the Compute entry does at build time so that no request does it. It
 * runs under Node here (it imports no fastly:*); the guest figures of `npm run bench` show the time.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../src/app';
import { prepareSnapshot } from '../../src/fastly/snapshot';
import { canaryBody, canaryResponse, fakePlatform } from '../support/fake-platform';

const app = () => createApp(fakePlatform({ origin: () => canaryResponse(canaryBody(new Date())) }));

afterEach(() => {
  vi.restoreAllMocks();
});

describe('prepareSnapshot', () => {
  it('builds the router, which Hono otherwise builds on the first request', async () => {
    const prepared = app();
    expect(prepared.router.name).toBe('SmartRouter');
    await prepareSnapshot(prepared);
    expect(prepared.router.name).toMatch(/^SmartRouter \+ \w+Router$/);
  });

  it('sets up every hash and HMAC a check uses: SHA-256 digest, HMAC-SHA256 (goog4, aws4, fingerprint), HMAC-SHA1 (v2)', async () => {
    const importKey = vi.spyOn(crypto.subtle, 'importKey');
    const digest = vi.spyOn(crypto.subtle, 'digest');
    await prepareSnapshot(app());
    const hmacHashes = new Set(importKey.mock.calls.map(([, , algorithm]) => (algorithm as HmacImportParams).hash));
    expect(hmacHashes).toEqual(new Set(['SHA-256', 'SHA-1']));
    expect(digest.mock.calls.map(([algorithm]) => algorithm)).toContain('SHA-256');
  });

  it('leaves an app that answers exactly as an unprepared one', async () => {
    const prepared = app();
    await prepareSnapshot(prepared);
    for (const path of ['/', '/live', '/health', '/nope']) {
      const [a, b] = await Promise.all([prepared.request(path), app().request(path)]);
      expect(a.status).toBe(b.status);
      expect(a.headers.get('content-type')).toBe(b.headers.get('content-type'));
    }
    const report = (await (await prepared.request('/health')).json()) as { status: string };
    expect(report.status).toBe('pass');
  });
});

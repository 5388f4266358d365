/**
 * The deep check with several origins, on a fake platform: each origin probed through its own
 * backend with its own credential, concurrently; the verdict of a failing primary or fallback; the
 * config lookups and secret reads a check costs.
 */
import { describe, expect, it } from 'vitest';
import { runHealthCheck } from '../../src/core/check';
import { CONFIG_KEYS } from '../../src/core/config';
import { renderHealthJson } from '../../src/core/render/json';
import { renderText } from '../../src/core/render/text';
import { canaryBody, canaryResponse, fakePlatform, gcsError, type FakePlatformOptions } from '../support/fake-platform';
import { registerSecret } from '../support/secret-scan';
import { ORIGINS } from './origins-fixture';

const B2_KEY = { id: 'B2KEYID0PRIMARY000000001', secret: 'b2-primary-secret-for-origins-tests' };
const S3_KEY = { id: 'AKIAORIGINSARCHIVE0001', secret: 's3-archive-secret-for-origins-tests' };
registerSecret(B2_KEY.secret, { label: 'B2_KEY.secret (test/origins/check-origins.test.ts)' });
registerSecret(S3_KEY.secret, { label: 'S3_KEY.secret (test/origins/check-origins.test.ts)' });

const SECRETS = { primary_access_id: B2_KEY.id, primary_secret: B2_KEY.secret, archive_access_id: S3_KEY.id, archive_secret: S3_KEY.secret };
const config = (extra: Record<string, string> = {}) => ({ origins: JSON.stringify(ORIGINS), result_ttl_ms: '0', deadline_ms: '2000', ...extra });
const body = () => canaryBody(new Date());

type Answers = Partial<Record<'b2' | 'archive', () => Response>>;
function platform(answers: Answers = {}, options: Partial<FakePlatformOptions> = {}) {
  return fakePlatform({
    config: config(),
    secrets: SECRETS,
    backends: ['b2', 'archive', 'edge'],
    origin: (_request, backend) => (answers[backend as 'b2' | 'archive'] ?? (() => canaryResponse(body())))(),
    ...options,
  });
}
const json = (report: Awaited<ReturnType<typeof runHealthCheck>>) => JSON.parse(renderHealthJson(report)) as Record<string, unknown> & { checks: Record<string, { status: string; reason: string; errorCode?: string | null }[]> };

describe('several origins', () => {
  it('both healthy: pass, a fetch and a freshness check per origin, each signed with its own key through its own backend', async () => {
    const fake = platform();
    const report = await runHealthCheck(fake);
    const body = json(report);
    expect([report.status, report.httpStatus, report.statuspage]).toEqual(['pass', 200, 'operational']);
    expect(Object.keys(body.checks)).toEqual(['origin:primary:fetch', 'origin:primary:freshness', 'origin:fallback:fetch', 'origin:fallback:freshness']);
    // Signed concurrently: the order in which the requests leave is not fixed.
    const sent = fake.requests.map((r) => ({ host: new URL(r.url).host, auth: r.headers.get('authorization') ?? '' })).sort((a, b) => b.host.localeCompare(a.host));
    expect(sent).toEqual([
      { host: 's3.us-east-005.backblazeb2.com', auth: expect.stringContaining(`Credential=${B2_KEY.id}/`) },
      { host: 'files-archive.s3.us-west-2.amazonaws.com', auth: expect.stringContaining(`Credential=${S3_KEY.id}/`) },
    ]);
    expect(sent[0]!.auth).toContain('/us-east-005/s3/aws4_request');
    expect(body.credentials).toEqual({
      'origin:primary': { accessId: 'B2KE…0001', fingerprint: expect.stringMatching(/^[0-9a-f]{12}$/) },
      'origin:fallback': { accessId: 'AKIA…0001', fingerprint: expect.stringMatching(/^[0-9a-f]{12}$/) },
    });
  });

  it('probes the origins concurrently: the fallback is asked before the primary answers', async () => {
    let release: () => void = () => undefined;
    const primaryHeld = new Promise<void>((resolve) => (release = resolve));
    const seen: string[] = [];
    const fake = fakePlatform({
      config: config(), secrets: SECRETS, backends: ['b2', 'archive'],
      origin: async (_request, backend) => {
        seen.push(backend);
        if (backend === 'archive') release();
        else await primaryHeld;
        return canaryResponse(body());
      },
    });
    expect((await runHealthCheck(fake)).status).toBe('pass');
    expect(seen.sort()).toEqual(['archive', 'b2']);
  });

  it('fallback refused: 200 warn naming the fallback, Statuspage operational', async () => {
    const report = await runHealthCheck(platform({ archive: () => gcsError(403, 'SignatureDoesNotMatch') }));
    expect([report.status, report.httpStatus, report.reason, report.statuspage]).toEqual(['warn', 200, 'auth_failed', 'operational']);
    expect(report.output).toBe('origin:primary: ok (200, age 0s); origin:fallback: auth_failed (403 SignatureDoesNotMatch): the fallback cannot be read; users are unaffected until the primary fails');
    const body = json(report);
    expect(body.checks['origin:fallback:fetch']![0]).toMatchObject({ status: 'warn', reason: 'auth_failed', errorCode: 'SignatureDoesNotMatch' });
    // A keyword checker looking for "fail" must not see one: the files are still served.
    expect(renderHealthJson(report)).not.toContain('"status":"fail"');
    expect(body.action).toContain('production reads it only when the primary fails');
  });

  it('primary refused: 503 fail, major_outage, whatever the fallback says', async () => {
    const report = await runHealthCheck(platform({ b2: () => gcsError(403, 'SignatureDoesNotMatch') }));
    expect([report.status, report.httpStatus, report.reason, report.statuspage]).toEqual(['fail', 503, 'auth_failed', 'major_outage']);
    expect(report.output).toMatch(/^origin:primary: auth_failed \(403 SignatureDoesNotMatch\); origin:fallback: ok/);
  });

  it('primary and fallback both refused: the fallback is named the last copy, unreadable, not "users are unaffected"; its own check stays warn', async () => {
    const report = await runHealthCheck(platform({ b2: () => gcsError(403, 'SignatureDoesNotMatch'), archive: () => gcsError(403, 'SignatureDoesNotMatch') }));
    expect([report.status, report.httpStatus, report.reason, report.statuspage]).toEqual(['fail', 503, 'auth_failed', 'major_outage']);
    expect(report.output).toBe('origin:primary: auth_failed (403 SignatureDoesNotMatch); origin:fallback: auth_failed (403 SignatureDoesNotMatch): the fallback cannot be read, and the primary is failing too: it is the last copy production could restart onto, and it cannot serve');
    const body = json(report);
    expect(body.checks['origin:fallback:fetch']![0]).toMatchObject({ status: 'warn', reason: 'auth_failed' });
    const text = renderText(report);
    expect(text).not.toContain('unaffected');
    expect(text).toContain('(origin:fallback: the primary is failing too, so this is the last copy production could restart onto and it cannot serve: users are affected now; mending either origin brings reads back)');
  });

  it('a stale fallback copy warns without moving Statuspage', async () => {
    const old = canaryBody(new Date(Date.now() - 3600_000));
    const report = await runHealthCheck(platform({ archive: () => canaryResponse(old) }));
    expect([report.status, report.reason, report.statuspage]).toEqual(['warn', 'stale', 'operational']);
    expect(report.output).toContain("origin:fallback: stale (age 3600");
  });

  it('S3 and B2 403 AccessDenied: the action says the object may be missing, not only the key', async () => {
    const report = await runHealthCheck(platform({ b2: () => gcsError(403, 'AccessDenied') }));
    const text = renderText(report);
    expect(text).toContain('either the credential is refused or s3://files-b2/edge-canary/canary.json is missing and key B2KE…0001 may not list the bucket');
    expect(text).toContain('credential origin:fallback AKIA…0001 fingerprint');
  });

  it('R2 401 Unauthorized is auth_failed', async () => {
    const r2 = [{ ...ORIGINS[0], host: 'acct.r2.cloudflarestorage.com', region: 'auto', provider: 'r2' }];
    const report = await runHealthCheck(platform({ b2: () => new Response('<Error><Code>Unauthorized</Code></Error>', { status: 401 }) }, { config: config({ origins: JSON.stringify(r2) }) }));
    expect([report.status, report.reason, report.results[0]!.fetch.errorCode]).toEqual(['fail', 'auth_failed', 'Unauthorized']);
    expect(json(report).action).toContain('Cloudflare R2 refused the credential (HTTP 401 Unauthorized)');
  });

  it('an undeclared backend and a missing secret are named by origin and field, before anything is fetched', async () => {
    const fake = platform({}, { backends: ['b2'], secrets: { primary_access_id: B2_KEY.id, primary_secret: B2_KEY.secret, archive_access_id: S3_KEY.id } });
    const report = await runHealthCheck(fake);
    expect(report.reason).toBe('misconfigured');
    expect(report.configErrors).toEqual([
      'origins[1].backend: backend "archive" is not defined (declare it on the service, locally in [local_server.backends])',
      'archive_secret: missing from secret store canary_secrets (needed by origin:fallback (origins[1].credential))',
    ]);
    expect(fake.requests).toEqual([]);
  });

  it('costs at most one lookup per config key, and two secret reads per distinct credential', async () => {
    const lookups: string[] = [];
    const reads: string[] = [];
    const shared = ORIGINS.map((o) => ({ ...o, credential: 'primary' }));
    for (const origins of [ORIGINS, shared]) {
      lookups.length = 0;
      reads.length = 0;
      const fake = platform();
      const values = config({ origins: JSON.stringify(origins) });
      fake.configStore = () => ({ get: (key) => (lookups.push(key), values[key as keyof typeof values] ?? null) });
      const readSecret = fake.readSecret.bind(fake);
      fake.readSecret = (name) => (reads.push(name), readSecret(name));
      expect((await runHealthCheck(fake)).status).toBe('pass');
      expect(lookups.length).toBeLessThanOrEqual(CONFIG_KEYS.length);
      expect(new Set(lookups).size).toBe(lookups.length);
      expect(reads.length).toBe(origins === shared ? 2 : 4);
    }
    expect(CONFIG_KEYS.length).toBe(15);
  });

  it('the flat one-origin form costs the same bounded lookups: each key at most once', async () => {
    const lookups: string[] = [];
    const fake = fakePlatform({ origin: () => canaryResponse(body()) });
    const store = fake.configStore()!;
    fake.configStore = () => ({ get: (key) => (lookups.push(key), store.get(key)) });
    expect((await runHealthCheck(fake)).status).toBe('pass');
    expect([...lookups].sort()).toEqual([...CONFIG_KEYS].sort());
  });
});

describe('the Secret Store read limit', () => {
  it('three distinct credentials (6 reads, Fastly allows 5) are refused before any read', async () => {
    const three = [...ORIGINS, { ...ORIGINS[1], bucket: 'files-archive-2', credential: 'archive2' }];
    const fake = platform({}, { config: config({ origins: JSON.stringify(three) }) });
    const reads: string[] = [];
    const readSecret = fake.readSecret.bind(fake);
    fake.readSecret = (name) => (reads.push(name), readSecret(name));
    const report = await runHealthCheck(fake);
    expect(report.configErrors).toEqual([
      'origins: 3 distinct credentials need 6 Secret Store reads per check, and Fastly allows 5 per request: let origins in the same account share a credential name (at most 2 distinct), or ask Fastly Support to raise the limit',
    ]);
    expect(reads).toEqual([]);
  });

  it('four origins sharing two credentials are fine: 4 reads', async () => {
    const four = [...ORIGINS, { ...ORIGINS[1], bucket: 'files-archive-2' }, { ...ORIGINS[1], bucket: 'files-archive-3' }];
    const fake = platform({}, { config: config({ origins: JSON.stringify(four) }) });
    const report = await runHealthCheck(fake);
    expect(report.status).toBe('pass');
    expect(Object.keys(report.targets ?? {})).toEqual(['origin:primary', 'origin:fallback', 'origin:fallback-2', 'origin:fallback-3']);
  });
});

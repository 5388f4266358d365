import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app';
import { BackendError, type Reason } from '../../src/core/types';
import {
  baseConfig, canaryBody, canaryResponse, fakePlatform, gcsError, TEST_ACCESS_ID, TEST_SECRET,
  type FakePlatformOptions, type Origin,
} from '../support/fake-platform';

const NOW = Date.parse('2026-11-26T01:00:00.000Z');
const fresh = () => canaryResponse(canaryBody(new Date(NOW - 12_000)));
const aged = (seconds: number) => canaryResponse(canaryBody(new Date(NOW - seconds * 1000)));
const never: Origin = () => new Promise<Response>(() => undefined);
const edgeConfig = baseConfig({ edge_url: 'https://files.example.org/edge-canary/canary.json' });

function setup(options: Partial<FakePlatformOptions> & { origin: Origin }) {
  const offset = NOW - Date.now();
  const platform = fakePlatform({ now: () => Date.now() + offset, ...options });
  return { platform, app: createApp(platform) };
}

async function health(options: Partial<FakePlatformOptions> & { origin: Origin }, query = '') {
  const { app, platform } = setup(options);
  const response = await app.request(`/health${query}`);
  return { response, body: (await response.json()) as Record<string, any>, platform };
}

interface Row {
  name: string;
  options: Partial<FakePlatformOptions> & { origin: Origin };
  httpStatus: number;
  status: 'pass' | 'warn' | 'fail';
  reason: Reason;
  statuspage: string | null;
}

// Every reason code of DESIGN.md §3, produced through the real app.
const rows: Row[] = [
  { name: 'healthy', options: { origin: fresh }, httpStatus: 200, status: 'pass', reason: 'ok', statuspage: 'operational' },
  { name: 'wrong secret', options: { origin: () => gcsError(403, 'SignatureDoesNotMatch') }, httpStatus: 503, status: 'fail', reason: 'auth_failed', statuspage: 'major_outage' },
  { name: 'clock skew', options: { origin: () => gcsError(403, 'RequestTimeTooSkewed') }, httpStatus: 503, status: 'fail', reason: 'clock_skew', statuspage: 'major_outage' },
  { name: 'object deleted', options: { origin: () => gcsError(404, 'NoSuchKey') }, httpStatus: 503, status: 'fail', reason: 'not_found', statuspage: 'major_outage' },
  { name: 'bucket deleted', options: { origin: () => gcsError(404, 'NoSuchBucket') }, httpStatus: 503, status: 'fail', reason: 'bucket_missing', statuspage: 'major_outage' },
  { name: 'origin 500', options: { origin: () => gcsError(500, 'InternalError') }, httpStatus: 503, status: 'fail', reason: 'origin_error', statuspage: 'major_outage' },
  { name: 'redirect', options: { origin: () => new Response('', { status: 302 }) }, httpStatus: 503, status: 'fail', reason: 'unexpected_status', statuspage: 'major_outage' },
  { name: 'hang', options: { origin: never, config: baseConfig({ deadline_ms: '150' }) }, httpStatus: 503, status: 'fail', reason: 'timeout', statuspage: 'major_outage' },
  { name: 'connection refused', options: { origin: () => { throw new BackendError('connect_failed', 'ECONNREFUSED'); } }, httpStatus: 503, status: 'fail', reason: 'connect_failed', statuspage: 'major_outage' },
  { name: 'garbage body', options: { origin: () => new Response('<html>gateway</html>', { status: 200 }) }, httpStatus: 503, status: 'fail', reason: 'invalid_content', statuspage: 'major_outage' },
  { name: 'corrupted body', options: { origin: () => canaryResponse(canaryBody(new Date(NOW)), { 'x-goog-hash': 'crc32c=AAAAAA==' }) }, httpStatus: 503, status: 'fail', reason: 'integrity_mismatch', statuspage: 'major_outage' },
  { name: 'getting old', options: { origin: () => aged(400) }, httpStatus: 200, status: 'warn', reason: 'stale', statuspage: 'degraded_performance' },
  { name: 'stale', options: { origin: () => aged(1000) }, httpStatus: 503, status: 'fail', reason: 'stale', statuspage: 'degraded_performance' },
  { name: 'from the future', options: { origin: () => aged(-7200) }, httpStatus: 503, status: 'fail', reason: 'future_dated', statuspage: 'degraded_performance' },
  {
    name: 'edge served from cache', options: { config: edgeConfig, origin: (req, backend) => (backend === 'edge' ? canaryResponse(canaryBody(new Date(NOW)), { age: '120' }) : fresh()) },
    httpStatus: 503, status: 'fail', reason: 'served_from_cache', statuspage: 'partial_outage',
  },
  {
    name: 'edge served by fallback', options: { config: edgeConfig, origin: (req, backend) => (backend === 'edge' ? canaryResponse(canaryBody(new Date(NOW)), { 'fastly-restarts': '1' }) : fresh()) },
    httpStatus: 503, status: 'fail', reason: 'served_by_fallback', statuspage: 'partial_outage',
  },
  { name: 'bucket not configured', options: { origin: fresh, config: { object: 'o' } }, httpStatus: 503, status: 'fail', reason: 'misconfigured', statuspage: null },
];

describe('/health reports every reason code', () => {
  it.each(rows)('$name -> $httpStatus $status $reason', async (row) => {
    const { response, body } = await health(row.options);
    expect(response.status).toBe(row.httpStatus);
    expect(response.headers.get('x-canary-status')).toBe(row.status);
    expect(response.headers.get('content-type')).toBe('application/health+json');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('server-timing')).toMatch(/check;dur=\d+/);
    expect(body).toMatchObject({ status: row.status, reason: row.reason, statuspage: row.statuspage, pop: 'TST', releaseId: '7', serviceId: 'edge-canary' });
  });

  it.each(rows)('$name: text format has one line per check and never the secret', async (row) => {
    const { app, platform } = setup(row.options);
    const response = await app.request('/health', { headers: { accept: 'text/plain' } });
    const text = await response.text();
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(text.split('\n')[0]).toMatch(new RegExp(`^${row.status.toUpperCase()} edge-canary ${row.reason}`));
    for (const format of ['json', 'text', 'prometheus', 'html']) {
      const other = await (await app.request(`/health?format=${format}`)).text();
      expect(other).not.toContain(TEST_SECRET);
      expect(other).not.toContain(TEST_ACCESS_ID);
    }
    expect(JSON.stringify(platform.logs)).not.toContain(TEST_SECRET);
    expect(JSON.stringify(platform.logs)).not.toContain(TEST_ACCESS_ID);
  });
});

describe('/health details', () => {
  it.each<{ name: string; options: Partial<FakePlatformOptions> & { origin: Origin }; output: RegExp }>([
    { name: 'corrupted body', options: { origin: () => canaryResponse(canaryBody(new Date(NOW)), { 'x-goog-hash': 'crc32c=AAAAAA==' }) }, output: /^origin: integrity_mismatch \(crc32c [0-9a-f]{8} != x-goog-hash 00000000\)$/ },
    { name: 'garbage body', options: { origin: () => new Response('<html>gateway</html>', { status: 200 }) }, output: /^origin: invalid_content \(body is not JSON \(20 bytes\)\)$/ },
    { name: 'edge from cache', options: { config: edgeConfig, origin: (_req, backend) => (backend === 'edge' ? canaryResponse(canaryBody(new Date(NOW)), { age: '120' }) : fresh()) }, output: /; edge: served_from_cache \(Age: 120\)$/ },
  ])('the output sentence says what was wrong with a 200: $name', async ({ options, output }) => {
    const { body } = await health(options);
    expect(body.output).toMatch(output);
  });

  it('names the origin error code and keeps StringToSign out', async () => {
    const { body } = await health({ origin: () => gcsError(403, 'SignatureDoesNotMatch') });
    expect(body.output).toBe('origin: auth_failed (403 SignatureDoesNotMatch)');
    expect(body.checks['origin:fetch'][0]).toMatchObject({
      componentId: 'gs://pkg-files/edge-canary/canary.json', componentType: 'datastore', status: 'fail',
      reason: 'auth_failed', httpStatus: 403, errorCode: 'SignatureDoesNotMatch', attempts: 1, observedUnit: 'ms',
    });
    expect(body.checks['origin:freshness'][0]).toMatchObject({ status: 'fail', reason: 'auth_failed', observedValue: null, observedUnit: 's' });
    expect(JSON.stringify(body)).not.toContain('StringToSign');
    expect(JSON.stringify(body)).not.toContain('canonical');
  });

  it('shows the masked access id and the secret fingerprint', async () => {
    const { body } = await health({ origin: fresh });
    // The formula the README documents, so an operator can compute the fingerprint of the secret they meant to deploy.
    const fingerprint = createHmac('sha256', TEST_SECRET).update('edge-canary-fingerprint').digest('hex').slice(0, 12);
    expect(body.credential).toEqual({ accessId: 'GOOG…WXYZ', fingerprint });
    expect(body.ageSeconds).toBe(12);
    expect(body.checks['origin:freshness'][0]).toMatchObject({ observedValue: 12, sequence: 42 });
  });

  it('retries a 5xx and passes on the second attempt', async () => {
    let calls = 0;
    const { body } = await health({ origin: () => (++calls === 1 ? gcsError(503, 'ServiceUnavailable') : fresh()) });
    expect(body.status).toBe('pass');
    expect(body.checks['origin:fetch'][0].attempts).toBe(2);
  });

  it('does not retry a 403', async () => {
    const { platform } = await health({ origin: () => gcsError(403, 'AccessDenied'), config: baseConfig({ attempts: '3' }) });
    expect(platform.requests).toHaveLength(1);
  });

  it('answers a hanging origin within the deadline', async () => {
    const started = Date.now();
    const { body } = await health({ origin: never, config: baseConfig({ deadline_ms: '300', attempts: '3' }) });
    expect(body.reason).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(300 + 250);
  });

  it('an origin that stalls mid-body is a timeout, not connect_failed', async () => {
    const stalled: Origin = () => new Response(new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"kind":'));
        controller.error(new BackendError('timeout', 'backend gcs: no body bytes within 5000 ms'));
      },
    }), { status: 200 });
    const { response, body } = await health({ origin: stalled });
    expect(response.status).toBe(503);
    expect(body.checks['origin:fetch'][0]).toMatchObject({ reason: 'timeout', httpStatus: null, attempts: 2 });
  });

  it('signs the GET for the configured bucket and object only', async () => {
    const { platform } = await health({ origin: fresh }, '?format=json&x=/../other-bucket/secret');
    expect(platform.requests.map((r) => [r.method, r.url])).toEqual([['GET', 'https://storage.googleapis.com/pkg-files/edge-canary/canary.json']]);
    expect(platform.requests[0]!.headers.get('authorization')).toMatch(/^GOOG4-HMAC-SHA256 Credential=GOOG1ETESTACCESSID/);
  });

  it('checks both targets and reports partial_outage when only the edge fails', async () => {
    const { body } = await health({ config: edgeConfig, origin: (req, backend) => (backend === 'edge' ? gcsError(403, 'SignatureDoesNotMatch') : fresh()) });
    expect(Object.keys(body.checks)).toEqual(['origin:fetch', 'origin:freshness', 'edge:fetch', 'edge:freshness']);
    expect(body).toMatchObject({ status: 'fail', reason: 'auth_failed', statuspage: 'partial_outage' });
    expect(body.output).toBe('origin: ok (200, age 12s); edge: auth_failed (403 SignatureDoesNotMatch)');
  });
});

describe('misconfiguration', () => {
  it.each([
    { name: 'missing config store', options: { config: null }, message: 'config store canary_config: not found' },
    { name: 'missing secret store', options: { secrets: null }, message: 'secret store canary_secrets: not found' },
    { name: 'missing secret', options: { secrets: { hmac_access_id: TEST_ACCESS_ID } }, message: 'hmac_secret: missing from secret store canary_secrets' },
    { name: 'missing gcs backend', options: { backends: [] as never[] }, message: 'backend gcs: not defined' },
    { name: 'edge_url without edge backend', options: { config: edgeConfig, backends: ['gcs'] as never[] }, message: 'edge_url: set, but backend edge is not defined' },
    { name: 'bad value', options: { config: baseConfig({ attempts: 'lots' }) }, message: 'attempts: must be a whole number' },
  ])('$name -> 503 misconfigured naming it', async ({ options, message }) => {
    const { response, body, platform } = await health({ origin: fresh, ...options });
    expect(response.status).toBe(503);
    expect(body).toMatchObject({ status: 'fail', reason: 'misconfigured' });
    expect(body.output).toContain(message);
    expect(body.checks.config[0].output).toContain(message);
    expect(platform.requests).toHaveLength(0);
  });

  it('with signing=none (padded, as values are trimmed) a bad config does not also blame the absent secrets', async () => {
    const { body } = await health({ origin: fresh, secrets: null, config: { object: 'o', signing: ' none\n' } });
    expect(body.reason).toBe('misconfigured');
    expect(body.checks.config[0].output).toBe('bucket: required, not set');
  });

  it('needs no secrets for signing=none', async () => {
    const { body, platform } = await health({ origin: fresh, secrets: null, config: baseConfig({ signing: 'none' }) });
    expect(body.status).toBe('pass');
    expect(platform.requests[0]!.headers.get('authorization')).toBeNull();
  });
});

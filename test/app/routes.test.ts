import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app';
import { baseConfig, canaryBody, canaryResponse, fakePlatform } from '../support/fake-platform';

const platform = () => fakePlatform({ origin: () => canaryResponse(canaryBody(new Date())) });

describe('routes', () => {
  it('GET / lists the endpoints', async () => {
    const response = await createApp(platform()).request('/');
    expect(await response.text()).toContain('GET /health');
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('GET /live answers without touching a backend', async () => {
    const p = platform();
    const response = await createApp(p).request('/live');
    expect([response.status, await response.text()]).toEqual([200, 'ok\n']);
    expect(p.requests).toHaveLength(0);
  });

  it('HEAD /health has the status and headers of GET and no body', async () => {
    const response = await createApp(platform()).request('/health', { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-canary-status')).toBe('pass');
    expect(await response.text()).toBe('');
  });

  // The README's endpoint table: HEAD works on every endpoint; on /metrics it runs the check like GET.
  it.each([
    { path: '/metrics', checks: true },
    { path: '/', checks: false },
    { path: '/live', checks: false },
  ])('HEAD $path answers like GET without a body (runs the check: $checks)', async ({ path, checks }) => {
    const p = platform();
    const response = await createApp(p).request(path, { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('x-canary-status')).toBe(checks ? 'pass' : null);
    expect(p.requests.length > 0).toBe(checks);
  });

  it.each(['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'])('%s /health -> 405 with Allow', async (method) => {
    const response = await createApp(platform()).request('/health', { method });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
  });

  it.each(['/nope', '/health/', '/health%2Fx', '/health.json', '//bucket/object'])('%s -> 404', async (path) => {
    const p = platform();
    const response = await createApp(p).request(path);
    expect(response.status).toBe(404);
    expect(p.requests).toHaveLength(0);
  });

  it('GET /metrics is 200 even while the check fails', async () => {
    const p = fakePlatform({ origin: () => new Response('', { status: 500 }) });
    const response = await createApp(p).request('/metrics');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(response.headers.get('x-canary-status')).toBe('fail');
  });
});

describe('negotiation', () => {
  it.each([
    ['', undefined, 'application/health+json'],
    ['', 'text/plain', 'text/plain; charset=utf-8'],
    ['', 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', 'text/html; charset=utf-8'],
    ['', 'application/json', 'application/health+json'],
    ['', '*/*', 'application/health+json'],
    ['', 'text/plain;version=0.0.4;q=0.3,*/*;q=0.2', 'text/plain; version=0.0.4; charset=utf-8'],
    ['', 'text/html;q=0.1, text/plain', 'text/plain; charset=utf-8'],
    ['?format=text', 'text/html', 'text/plain; charset=utf-8'],
    ['?format=json', 'text/plain', 'application/health+json'],
    ['?format=prometheus', undefined, 'text/plain; version=0.0.4; charset=utf-8'],
    ['?format=html', undefined, 'text/html; charset=utf-8'],
  ])('%s Accept %s -> %s', async (query, accept, type) => {
    const response = await createApp(platform()).request(`/health${query}`, { headers: accept ? { accept } : {} });
    expect(response.headers.get('content-type')).toBe(type);
  });

  it('an unknown format is a 400 that lists the formats', async () => {
    const response = await createApp(platform()).request('/health?format=xml');
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('use one of json, text, prometheus, html');
  });

  it('the HTML view may not load anything', async () => {
    const response = await createApp(platform()).request('/health?format=html');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
  });
});

describe('coalescing', () => {
  it('shares one check between requests inside result_ttl_ms', async () => {
    const p = fakePlatform({ config: baseConfig({ result_ttl_ms: '5000' }), origin: () => canaryResponse(canaryBody(new Date())) });
    const app = createApp(p);
    const bodies = await Promise.all(Array.from({ length: 20 }, async () => (await app.request('/health')).json()));
    expect(p.requests).toHaveLength(1);
    expect(bodies.filter((b) => b.shared)).toHaveLength(19);
    expect(new Set(bodies.map((b) => b.checkedAt)).size).toBe(1);
  });
});

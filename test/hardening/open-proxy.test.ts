/**
 * No open proxy (DESIGN.md §1, §3): whatever arrives at the canary, the only thing it ever asks a
 * backend for is the configured object, with GET or HEAD. A named table of hostile requests, each
 * sent over a raw socket, on both runtimes with the same answers (where a request never reaches a
 * service on Fastly, both hosts answer as Fastly's edge does); the fuzz test
 * (open-proxy-fuzz.test.ts) generates thousands more.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeOnRuntimes } from '../support/runtimes';
import { STACK_BUCKET, STACK_HOST } from './support/canary-stack';
import { startProxyStack } from './support/proxy-stack';
import type { ProxyStack } from './support/proxy-stack';
import { formatRawRequest, sendRaw } from './support/raw-http';
import { MAX_URL_BYTES } from '../../src/node/edge-limits';
import type { RawRequestParts } from './support/raw-http';

const CANARY_HOST = 'canary.example.net';
const host = (name: string) => [['Host', name]] as const;
const get = (target: string, extra: RawRequestParts['headers'] = []): RawRequestParts => ({ method: 'GET', target, headers: [...host(CANARY_HOST), ...extra] });
const other = `${STACK_BUCKET}/secrets/other.json`;
/** A /health target whose URL as the service sees it (`http://` + Host + target) is `urlBytes` long. */
const padTarget = (urlBytes: number) => {
  const prefix = `http://${CANARY_HOST}/health?pad=`;
  return `/health?pad=${'q'.repeat(urlBytes - prefix.length)}`;
};

interface Case {
  name: string;
  request: RawRequestParts | string;
  /** The status the canary answers with; `closed` = connection closed without an answer. */
  expected: number | 'closed';
}

const cases: Case[] = [
  { name: 'a plain /health (control)', request: get('/health'), expected: 200 },
  { name: 'query naming another object and bucket', request: get(`/health?object=${encodeURIComponent('secrets/other.json')}&bucket=other-bucket`), expected: 200 },
  { name: 'query naming another host and URL', request: get('/health?format=json&origin_host=evil.example&url=http%3A%2F%2Fevil.example%2F&edge_url=http://evil.example/'), expected: 200 },
  { name: 'query with traversal in the object', request: get('/health?object=../../other-bucket/x&object=..%2F..%2Fx'), expected: 200 },
  { name: 'the origin object path itself', request: get(`/${STACK_BUCKET}/edge-canary/canary.json`), expected: 404 },
  { name: 'another object path', request: get(`/${other}`), expected: 404 },
  { name: 'raw dot segments out of /health', request: get(`/health/../../${other}`), expected: 404 },
  // Compute hands the service the path as sent; it resolves no dot segments, so neither host does.
  { name: 'dot segments back to /health', request: get('/x/../health'), expected: 404 },
  { name: 'percent-encoded dot segments', request: get(`/health/%2e%2e/%2E%2E/${other}`), expected: 404 },
  { name: 'encoded slashes', request: get(`/health%2F..%2F..%2F${STACK_BUCKET}%2Fsecrets%2Fother.json`), expected: 404 },
  { name: 'double-encoded dot segments', request: get(`/health/%252e%252e/${other}`), expected: 404 },
  // On Compute the service gets the path as sent: it matches no route (src/node/raw-target.ts).
  { name: 'backslash traversal', request: get(`/health/..\\..\\${other}`), expected: 404 },
  { name: 'a backslash in the query stays in the query', request: get(`/health?object=..\\..\\${other}`), expected: 200 },
  { name: 'the emulator control API through the canary', request: get('/_emulator/log'), expected: 404 },
  { name: 'a protocol-relative target', request: get(`//evil.example/${other}`), expected: 404 },
  { name: 'absolute-form URI to another host', request: get(`http://evil.example/${other}`), expected: 404 },
  { name: 'absolute-form URI to the bucket host', request: get(`http://${STACK_HOST}/${other}`), expected: 404 },
  { name: 'absolute-form URI to /health on another host', request: get('http://evil.example/health'), expected: 200 },
  { name: 'absolute-form URI with another scheme', request: get('gopher://evil.example/health'), expected: 400 },
  { name: 'Host: the bucket host', request: { method: 'GET', target: '/health', headers: host(STACK_HOST) }, expected: 200 },
  { name: 'Host: a virtual-hosted bucket', request: { method: 'GET', target: `/secrets/other.json`, headers: host(`other-bucket.${STACK_HOST}`) }, expected: 404 },
  { name: 'Host: with a path in it', request: { method: 'GET', target: '/health', headers: host(`evil.example/${other}`) }, expected: 400 },
  { name: 'Host: with userinfo', request: { method: 'GET', target: '/health', headers: host('user@evil.example') }, expected: 400 },
  { name: 'Host: empty', request: { method: 'GET', target: '/health', headers: host('') }, expected: 200 },
  { name: 'Host: missing (HTTP/1.1)', request: { method: 'GET', target: '/health' }, expected: 400 },
  { name: 'Host: missing (HTTP/1.0)', request: { method: 'GET', target: '/health', version: 'HTTP/1.0' }, expected: 200 },
  // Node's HTTP parser, in front of both local hosts, keeps the first Host and drops the rest.
  { name: 'Host: twice', request: { method: 'GET', target: '/health', headers: [...host(CANARY_HOST), ...host('evil.example')] }, expected: 200 },
  // Fastly's edge refuses a request URL (rebuilt from Host + target) over 8 KB (src/node/edge-limits.ts).
  { name: 'Host: 8 KB long (the URL is over 8 KB)', request: { method: 'GET', target: '/health', headers: host('h'.repeat(8 * 1024)) }, expected: 414 },
  { name: 'Host: IPv6 literal', request: { method: 'GET', target: '/health', headers: host('[::1]:7676') }, expected: 200 },
  { name: 'forwarding headers', request: get('/health', [['X-Forwarded-Host', 'evil.example'], ['Forwarded', 'host=evil.example;proto=https'], ['X-Forwarded-Proto', 'gopher']]), expected: 200 },
  { name: 'rewrite headers', request: get('/health', [['X-Original-URL', `/${other}`], ['X-Rewrite-URL', `/${other}`], ['X-HTTP-Method-Override', 'PUT']]), expected: 200 },
  { name: 'credentials and range headers are not forwarded', request: get('/health', [['Authorization', 'GOOG4-HMAC-SHA256 Credential=GOOG1EEVIL'], ['Range', 'bytes=0-1'], ['Cookie', 'a=b']]), expected: 200 },
  { name: 'a 12 KB header', request: get('/health', [['X-Padding', 'p'.repeat(12 * 1024)]]), expected: 200 },
  { name: 'a 20 KB header', request: get('/health', [['X-Padding', 'p'.repeat(20 * 1024)]]), expected: 200 },
  { name: 'a 70 KB header (over the edge\'s 69 KB)', request: get('/health', [['X-Padding', 'p'.repeat(70 * 1024)]]), expected: 431 },
  { name: 'a request URL of exactly 8192 bytes', request: get(padTarget(MAX_URL_BYTES)), expected: 200 },
  { name: 'a request URL of 8193 bytes', request: get(padTarget(MAX_URL_BYTES + 1)), expected: 414 },
  { name: 'a 12 KB request target', request: get(`/health?pad=${'q'.repeat(12 * 1024)}`), expected: 414 },
  { name: 'HEAD /health', request: { ...get('/health'), method: 'HEAD' }, expected: 200 },
  ...['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE', 'PURGE', 'PROPFIND'].map((method): Case => ({
    name: `${method} /health`, request: { ...get('/health'), method, body: method === 'POST' || method === 'PUT' ? `{"object":"${other}"}` : undefined }, expected: 405,
  })),
  { name: 'PURGE of the object path', request: { ...get(`/${STACK_BUCKET}/edge-canary/canary.json`), method: 'PURGE' }, expected: 404 },
  { name: 'lowercase get', request: { ...get('/health'), method: 'get' }, expected: 400 },
  { name: 'unknown method', request: { ...get('/health'), method: 'BREW' }, expected: 400 },
  { name: 'CONNECT to another host', request: { method: 'CONNECT', target: 'evil.example:443', headers: host('evil.example:443') }, expected: 'closed' },
  { name: 'CONNECT to the bucket host', request: { method: 'CONNECT', target: `${STACK_HOST}:443`, headers: host(`${STACK_HOST}:443`) }, expected: 'closed' },
  { name: 'OPTIONS *', request: { method: 'OPTIONS', target: '*', headers: host(CANARY_HOST) }, expected: 400 },
  // Node's parser reads an HTTP/1-syntax request labelled 2.0 like any other.
  { name: 'HTTP/2.0 request line', request: { ...get('/health'), version: 'HTTP/2.0' }, expected: 200 },
  { name: 'a NUL byte in the path', request: get('/health%00/../x'), expected: 404 },
  { name: 'a raw control character in the path', request: 'GET /health\x01 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n', expected: 400 },
  { name: 'Content-Length and Transfer-Encoding together', request: 'POST /health HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n0\r\n\r\n', expected: 400 },
  { name: 'a WebSocket upgrade', request: get('/health', [['Upgrade', 'websocket'], ['Sec-WebSocket-Version', '13'], ['Sec-WebSocket-Key', 'dGhlIHNhbXBsZSBub25jZQ==']]), expected: 200 },
];

describeOnRuntimes('the canary is not an open proxy', (runtime) => {
  let proxy: ProxyStack;

  beforeAll(async () => {
    proxy = await startProxyStack(runtime);
  });

  afterAll(async () => {
    await proxy.close();
  });

  it.each(cases)('$name → $expected, and backends only ever see the canary object', async ({ request, expected }) => {
    const raw = typeof request === 'string' ? request : formatRawRequest(request);
    const reply = await sendRaw(proxy.port, raw);
    expect(reply.status ?? 'closed').toBe(expected);
    expect(proxy.takeForeignRequests()).toEqual([]);
  });

  it('the backend watch itself sees a foreign read (so an empty list means something)', async () => {
    await (await fetch(`${proxy.stack.emulator.url}/${other}`)).body?.cancel();
    await (await fetch(`${proxy.edge.url}/other.json`)).body?.cancel();
    expect(proxy.takeForeignRequests()).toEqual([`origin: GET 127.0.0.1:${proxy.stack.emulator.port} /${other}`, 'edge: GET /other.json']);
  });

  it('the table really reached the backends, and the host still answers afterwards', async () => {
    expect(proxy.canaryReads()).toBeGreaterThanOrEqual(cases.filter((c) => c.expected === 200).length - 1);
    expect((await sendRaw(proxy.port, formatRawRequest(get('/live')))).status).toBe(200);
    expect((await sendRaw(proxy.port, formatRawRequest(get('/health')))).status).toBe(200);
  });
});

/**
 * fast-check arbitraries for requests a hostile or confused client could send the canary: every
 * method (any case), all four request-target forms, traversal in raw, encoded and double-encoded
 * form, query strings naming other objects, odd or huge Host headers, forwarding and rewrite
 * headers, oversized headers, bodies.
 */
import fc from 'fast-check';
import { STACK_BUCKET, STACK_HOST } from './canary-stack';
import type { RawRequestParts } from './raw-http';

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE', 'PURGE', 'CONNECT', 'PROPFIND', 'MKCOL', 'LINK', 'SEARCH', 'get', 'head', 'Get', 'connect', 'BREW', 'M-SEARCH'];
const SEGMENTS = [
  'health', 'metrics', 'live', '', '.', '..', '%2e%2e', '%2E%2e', '.%2e', '%2e.', '%2F', '%2f..%2f', '%252e%252e', '%252F', '..%5c..', '%5c',
  STACK_BUCKET, 'edge-canary', 'canary.json', 'other.json', 'other-bucket', '_emulator', 'log', 'faults', 'keys', 'storage', 'v1', 'b', 'o',
  '%00', '%', '%zz', ';', 'health;jsessionid=x', '~', '%C3%A9', '%E2%80%AE', 'upload', STACK_HOST,
];
const QUERY_KEYS = ['object', 'bucket', 'format', 'url', 'host', 'origin_host', 'edge_url', 'signing', 'result_ttl_ms', 'alt', 'generation', 'X-Goog-Signature', 'uploadType', 'name'];
const QUERY_VALUES = [
  'json', 'text', 'prometheus', 'html', 'media', '../secrets/other.json', '..%2F..%2Fother', 'other-bucket', `${STACK_BUCKET}/x`,
  'http://evil.example/', 'http%3A%2F%2Fevil.example%2F', '//evil.example', 'none', '0', '1', '%00', '',
];
/** Hosts a URL parser accepts, then ones it should refuse. */
const HOSTS = [
  'canary.example.net', 'evil.example', STACK_HOST, `other-bucket.${STACK_HOST}`, `${STACK_BUCKET}.${STACK_HOST}`, '127.0.0.1', '127.0.0.1:4443',
  '[::1]', '[::1]:80', 'evil.example:443', 'EVIL.EXAMPLE', 'localhost',
];
const BAD_HOSTS = ['user:pass@evil.example', 'evil.example/../x', 'evil.example?x', 'evil.example#x', 'a b', ''];
const EXTRA_HEADERS: Array<readonly [string, string]> = [
  ['X-Forwarded-Host', 'evil.example'], ['X-Forwarded-For', '203.0.113.9'], ['X-Forwarded-Proto', 'gopher'],
  ['Forwarded', 'for=203.0.113.9;host=evil.example;proto=https'], ['X-Original-URL', `/${STACK_BUCKET}/secrets/other.json`],
  ['X-Rewrite-URL', '/other-bucket/x'], ['X-HTTP-Method-Override', 'DELETE'], ['X-Method-Override', 'PUT'],
  ['Accept', 'text/html'], ['Accept', 'text/plain'], ['Accept', '*/*'], ['Accept', 'application/json;q=0'], ['Range', 'bytes=0-3'],
  ['If-None-Match', '*'], ['Authorization', 'GOOG4-HMAC-SHA256 Credential=GOOG1EEVIL/20261126/auto/storage/goog4_request'],
  ['Cookie', 'session=x'], ['Cache-Control', 'max-age=0'], ['Fastly-Debug', '1'], ['X-Goog-Date', '20000101T000000Z'],
  ['Max-Forwards', '0'], ['Expect', '100-continue'], ['Upgrade', 'websocket'], ['Content-Type', 'application/json'],
];
const version = fc.oneof(
  { weight: 12, arbitrary: fc.constant('HTTP/1.1') },
  { weight: 2, arbitrary: fc.constant('HTTP/1.0') },
  { weight: 1, arbitrary: fc.constantFrom('HTTP/2.0', 'HTTP/0.9', 'HTTP/1.2', 'http/1.1', 'HTTP/1.1 x') },
);

export interface HostileRequest {
  parts: RawRequestParts;
  /** CONNECT is hung up on by the Node server when nothing handles it; any other request gets an answer. */
  mayBeHungUp: boolean;
}

const segment = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...SEGMENTS) },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom(...'abcXYZ09-._~%/:@!$&\'()*+,;='.split('')), maxLength: 12 }) },
);
const randomPath = fc.array(segment, { minLength: 1, maxLength: 6 }).map((segments) => `/${segments.join('/')}`);
// Endpoints, plain (so the deep check runs with the hostile rest attached) or behind dot segments,
// which Compute hands the service as sent: they must match no route and reach no backend.
const endpointPath = fc.tuple(
  fc.oneof({ weight: 3, arbitrary: fc.constant('') }, { weight: 2, arbitrary: fc.constantFrom('/x/..', '/.', '/%2e', `/${STACK_BUCKET}/..`, '/a/b/%2e%2e/..', '//') }),
  fc.constantFrom('/health', '/health', '/health', '/metrics', '/live', '/health/', '/HEALTH'),
).map(([prefix, endpoint]) => `${prefix}${endpoint}`);
const path = fc.oneof({ weight: 3, arbitrary: endpointPath }, { weight: 2, arbitrary: randomPath });
const query = fc.option(
  fc.array(fc.tuple(fc.constantFrom(...QUERY_KEYS), fc.constantFrom(...QUERY_VALUES)), { minLength: 1, maxLength: 4 })
    .map((pairs) => `?${pairs.map(([k, v]) => `${k}=${v}`).join('&')}`),
  { nil: '', freq: 2 },
);
const originForm = fc.tuple(path, query, fc.constantFrom('', '', '', '', '#frag')).map(([p, q, h]) => `${p}${q}${h}`);
const target = fc.oneof(
  { weight: 12, arbitrary: originForm },
  { weight: 3, arbitrary: fc.tuple(fc.constantFrom('http://', 'https://', 'HTTP://', 'gopher://', 'file://'), fc.constantFrom(...HOSTS, ...BAD_HOSTS), originForm).map(([s, h, p]) => `${s}${h}${p}`) },
  { weight: 1, arbitrary: fc.constantFrom('evil.example:443', `${STACK_HOST}:443`, '127.0.0.1:4443') },
  { weight: 1, arbitrary: fc.constantFrom('*', '', 'health', '../health', '\\health') },
);
const hostHeaders = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom(...HOSTS).map((h) => [['Host', h] as const]) },
  { weight: 2, arbitrary: fc.constantFrom(...BAD_HOSTS).map((h) => [['Host', h] as const]) },
  { weight: 1, arbitrary: fc.constant([] as Array<readonly [string, string]>) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...HOSTS), fc.constantFrom(...HOSTS)).map(([a, b]) => [['Host', a] as const, ['host', b] as const]) },
  { weight: 1, arbitrary: fc.integer({ min: 256, max: 20_000 }).map((n) => [['Host', 'h'.repeat(n)] as const]) },
);
const extraHeaders = fc.oneof(
  { weight: 6, arbitrary: fc.subarray(EXTRA_HEADERS, { maxLength: 5 }) },
  { weight: 1, arbitrary: fc.integer({ min: 1024, max: 24 * 1024 }).map((n) => [['X-Padding', 'p'.repeat(n)] as const]) },
);
const body = fc.option(fc.constantFrom('{"object":"secrets/other.json","bucket":"other-bucket"}', 'x', '0\r\n\r\n'), { nil: undefined, freq: 4 });

export const hostileRequest: fc.Arbitrary<HostileRequest> = fc
  .record({ method: fc.oneof({ weight: 3, arbitrary: fc.constantFrom('GET', 'HEAD') }, { weight: 2, arbitrary: fc.constantFrom(...METHODS) }), target, version, host: hostHeaders, extra: extraHeaders, body })
  .map(({ method, target: requestTarget, version, host, extra, body: payload }) => ({
    parts: { method, target: requestTarget, version, headers: [...host, ...extra], ...(payload === undefined ? {} : { body: payload }) },
    mayBeHungUp: method === 'CONNECT',
  }));

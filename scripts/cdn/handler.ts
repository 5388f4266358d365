/**
 * One client request through the CDN: the canary rule first (pass, no fallback), then the cache,
 * then the primary bucket and, after a 403, 404 or 5xx, the fallback bucket, marked `Fastly-Restarts: 1`
 * as a VCL restart would be.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BackendAgents } from '../../src/node/backend-fetch';
import type { BackendSpec } from '../../src/node/manifest';
import { routeForPath, type CanaryRoute } from '../../snippets/compute/edge-canary-rule';
import { decideStorage, type OriginReply, type ResponseCache } from './cache';
import type { CdnLogEntry, ResolvedCdnOptions } from './options';
import { backendFor, readObject } from './origin';

export interface CdnStats {
  requests: number;
  hits: number;
  misses: number;
  passes: number;
  /** Requests answered by the fallback bucket. */
  fallbacks: number;
  /** Reads sent to either bucket. */
  originReads: number;
  /** Entries in the cache now. */
  stored: number;
}

const EVERY_PATH: CanaryRoute = { canary: false, cache: 'default', fallback: true };

/** `agents` hold the kept-alive bucket connections; the server destroys them when it closes. */
export function createCdnHandler(options: ResolvedCdnOptions, cache: ResponseCache, stats: Omit<CdnStats, 'stored'>, agents: BackendAgents) {
  const primary = backendFor('primary', options.origin);
  const fallback = options.fallback ? { backend: backendFor('fallback', options.fallback), spec: options.fallback } : null;

  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    stats.requests++;
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://cdn.invalid');
    const log = (entry: Omit<CdnLogEntry, 'method' | 'path'>) => options.onRequest({ method, path: url.pathname, ...entry });
    if (method !== 'GET' && method !== 'HEAD') {
      return sendPlain(res, 405, `method ${method} not allowed\n`, { allow: 'GET, HEAD' });
    }
    const object = objectName(url.pathname);
    if (object === null) return sendPlain(res, 404, 'not found: GET /<object name>\n');

    const ruled = options.canaryRule ? routeForPath(url.pathname, options.canaryPath) : EVERY_PATH;
    const route = options.canaryRestarts ? { ...ruled, fallback: true } : ruled;
    // Like Fastly, the client's own Cache-Control does not bypass the cache: only the rule does.
    const key = url.pathname + url.search;
    if (route.cache === 'default') {
      const hit = cache.lookup(key);
      if (hit) {
        stats.hits++;
        send(res, method, hit.reply, { 'x-cache': 'HIT', age: String(hit.ageSeconds) });
        return log({ status: hit.reply.status, cache: 'HIT', servedBy: null, ageSeconds: hit.ageSeconds });
      }
    }

    let reply = await read(primary, options.origin, object);
    let servedBy: 'primary' | 'fallback' = 'primary';
    if (isFallbackWorthy(reply) && route.fallback && fallback) {
      reply = await read(fallback.backend, fallback.spec, object);
      servedBy = 'fallback';
      stats.fallbacks++;
    }
    if (route.cache === 'pass') stats.passes++;
    else {
      stats.misses++;
      const decision = decideStorage(reply, options.cachePolicy, options.ttlSeconds);
      if (decision.store) cache.store(key, reply, decision.lifetimeSeconds);
    }
    const extra: Record<string, string> = { 'x-cache': 'MISS', age: '0' };
    if (servedBy === 'fallback') extra['fastly-restarts'] = '1';
    send(res, method, reply, extra);
    log({ status: reply.status, cache: route.cache === 'pass' ? 'PASS' : 'MISS', servedBy, ageSeconds: 0 });
  };

  function read(backend: BackendSpec, spec: ResolvedCdnOptions['origin'], object: string): Promise<OriginReply> {
    stats.originReads++;
    return readObject(backend, spec, object, agents);
  }
}

/** What PyPI's service restarts on: the primary refused (403), lacks the file (404) or failed (5xx). */
function isFallbackWorthy(reply: OriginReply): boolean {
  return reply.status === 403 || reply.status === 404 || reply.status >= 500;
}

/** `/packages/a%20b.tar.gz` → `packages/a b.tar.gz`; null when it names no object. */
function objectName(pathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname.slice(1));
  } catch {
    return null;
  }
  if (decoded === '' || decoded.split('/').some((segment) => segment === '.' || segment === '..')) return null;
  return decoded;
}

function send(res: ServerResponse, method: string, reply: OriginReply, extra: Record<string, string>): void {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of reply.headers) {
    const lower = name.toLowerCase();
    if (lower === 'age' || lower === 'x-cache' || lower === 'fastly-restarts') continue;
    headers[lower] = value;
  }
  Object.assign(headers, extra, { via: '1.1 edge-canary-local-cdn', 'content-length': String(reply.body.length) });
  res.writeHead(reply.status, headers);
  res.end(method === 'HEAD' ? undefined : reply.body);
}

function sendPlain(res: ServerResponse, status: number, text: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...extra });
  res.end(text);
}

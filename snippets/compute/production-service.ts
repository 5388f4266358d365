/// <reference types="@fastly/js-compute" />
/**
 * Compute (JavaScript/TypeScript) snippet for the PRODUCTION package-file service, not for
 * edge-canary itself: how its bucket fetch applies the canary rule of ./edge-canary-rule.ts.
 *
 * Copy `edge-canary-rule.ts` next to your handler and route every bucket read through
 * `fetchPackageFile`. `signForBucket` stands for however your service already signs GCS requests
 * (the same HMAC credential edge-canary holds in its Secret Store).
 *
 * The rule, for the canary path only:
 *   1. `new CacheOverride('pass')`: the reply is neither stored nor served from cache, whatever
 *      Cache-Control the bucket or a later rule says.
 *   2. No fallback: a 403/5xx from the primary bucket goes to the client as it is, so the canary
 *      sees `auth_failed SignatureDoesNotMatch` exactly when package files start failing.
 * Everything else keeps its normal caching and the archive fallback.
 */
import { CacheOverride } from 'fastly:cache-override';
import { routeForPath } from './edge-canary-rule';

const PRIMARY_BACKEND = 'gcs_primary';
const FALLBACK_BACKEND = 'gcs_archive';
const PACKAGE_TTL_SECONDS = 86_400;

/** Your existing signing code: returns the signed GET for `path` in the given backend's bucket. */
declare function signForBucket(backend: string, path: string): Promise<Request>;

export async function fetchPackageFile(clientRequest: Request): Promise<Response> {
  const path = new URL(clientRequest.url).pathname;
  const route = routeForPath(path);
  const cacheOverride = route.cache === 'pass' ? new CacheOverride('pass') : new CacheOverride('override', { ttl: PACKAGE_TTL_SECONDS });

  const primary = await fetch(await signForBucket(PRIMARY_BACKEND, path), { backend: PRIMARY_BACKEND, cacheOverride });
  const failed = primary.status === 403 || primary.status >= 500;
  if (!failed || !route.fallback) return primary;

  const fallback = await fetch(await signForBucket(FALLBACK_BACKEND, path), { backend: FALLBACK_BACKEND, cacheOverride });
  // The header a VCL service gets from a restart: edge-canary reports `served_by_fallback` when it
  // sees it, so keep it on fallback replies (never on the canary, which has no fallback).
  const marked = new Response(fallback.body, fallback);
  marked.headers.set('Fastly-Restarts', '1');
  return marked;
}

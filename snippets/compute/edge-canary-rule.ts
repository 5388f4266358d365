/**
 * The production-side canary rule for a Compute service, as a pure function with no `fastly:*`
 * import, so the local CDN (scripts/cdn) runs exactly this logic in tests and the demo.
 *
 * Why: edge-canary's `edge` check GETs the canary through the production hostname to prove that
 * the production service can read its bucket *right now*. A cached copy or a copy fetched from a
 * fallback bucket would answer 200 while every uncached package file fails, which is how the
 * June 2022 PyPI outage stayed invisible for 130 minutes. So the canary path is always:
 *   - pass: never stored, never answered from cache (not even stale-if-error);
 *   - primary only: never retried against a fallback/archive backend.
 */

/** The object name the uploader writes, as a URL path on the production hostname. */
export const DEFAULT_CANARY_PATH = '/edge-canary/canary.json';

export interface CanaryRoute {
  /** True when the request is for the canary object. */
  canary: boolean;
  /** 'pass' = bypass the cache both ways (Compute: `new CacheOverride('pass')`). */
  cache: 'pass' | 'default';
  /** Whether a failed primary read may be retried against the fallback backend. */
  fallback: boolean;
}

/** Accepts `edge-canary/canary.json` or `/edge-canary/canary.json`. */
export function normalizeCanaryPath(path: string): string {
  return path.startsWith('/') ? path : `/${path}`;
}

/**
 * Compares the decoded path, so `/edge-canary/canary%2Ejson` (the same object in the bucket) is
 * the canary too and cannot be used to cache it under another spelling. The query string is not
 * part of the path: `?x=1` does not turn the rule off.
 */
export function isCanaryPath(urlPath: string, canaryPath: string = DEFAULT_CANARY_PATH): boolean {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return false;
  }
  return decoded === normalizeCanaryPath(canaryPath);
}

export function routeForPath(urlPath: string, canaryPath: string = DEFAULT_CANARY_PATH): CanaryRoute {
  return isCanaryPath(urlPath, canaryPath)
    ? { canary: true, cache: 'pass', fallback: false }
    : { canary: false, cache: 'default', fallback: true };
}

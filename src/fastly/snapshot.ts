/**
 * Work done once at build time instead of on every request. js-compute-runtime runs the entry's top
 * level under Wizer and snapshots the heap; every request then starts a fresh instance from that
 * snapshot, so whatever a request initialises lazily it initialises again, every time. Two such
 * costs are ours to move into the snapshot (measured with `npm run bench`'s guest figures, see
 * docs/performance-and-security.md):
 * - Hono's router compiles its matcher on the first match (about 3 ms of guest time per request);
 * - the runtime's crypto (OpenSSL) sets up each algorithm on its first use (about 4 ms).
 * Neither needs a request (the runtime refuses `Request` and `Response` at build time, but
 * crypto.subtle and pure code work), and neither leaves behind state that a request could see:
 * matching a path has no side effect, and a signature over made-up input remembers nothing.
 */
import type { Hono } from 'hono';
import { describeCredential } from '../core/credential';
import { SIGNING_SCHEMES } from '../core/origin-fields';
import { signObjectRequest } from '../core/sign';

const PLACEHOLDER = { accessId: 'GOOG1EPLACEHOLDERACCESSID', secret: 'placeholder-secret-not-a-credential' };

/**
 * Builds the app's router and sets up every hash and HMAC a check uses; resolves when done (at build
 * time, before the snapshot: promises settle there, timers would not). Call it after the last route.
 */
export async function prepareSnapshot(app: Hono): Promise<void> {
  app.router.match('GET', '/health');
  const date = new Date();
  const location = { host: 'storage.googleapis.com', bucket: 'placeholder-bucket', object: 'placeholder.json', urlStyle: 'path' as const };
  await Promise.all([
    describeCredential(PLACEHOLDER.accessId, PLACEHOLDER.secret),
    // Every scheme that signs, so each hash and HMAC a check can use is set up.
    ...SIGNING_SCHEMES.filter((scheme) => scheme !== 'none').map((scheme) => signObjectRequest({ method: 'GET', scheme, region: 'auto', date, location, ...PLACEHOLDER })),
  ]);
}

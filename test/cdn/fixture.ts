/** Buckets behind the local CDN: a primary and an archive (fallback), each with its own HMAC key. */
import { startCdn, type CdnOptions, type RunningCdn } from '../../scripts/cdn';
import { startEmulator, type Emulator } from '../../scripts/emulator';

export const PRIMARY_BUCKET = 'pkg-files';
export const ARCHIVE_BUCKET = 'pkg-archive';
export const CANARY_OBJECT = 'edge-canary/canary.json';
export const PACKAGE_OBJECT = 'packages/example-1.0.tar.gz';
export const CDN_KEY = { accessId: 'GOOG1ETESTCDNPRIMARYKEY0000000000000000000000000000000000000001', secret: 'dGVzdC1jZG4tcHJpbWFyeS1zZWNyZXQtMDAwMDAwMDE=' };
export const ARCHIVE_KEY = { accessId: 'GOOG1ETESTCDNARCHIVEKEY0000000000000000000000000000000000000002', secret: 'dGVzdC1jZG4tYXJjaGl2ZS1zZWNyZXQtMDAwMDAwMDI=' };

export function canaryJson(writtenAt: Date, sequence: number, writer = 'test'): string {
  return JSON.stringify({ kind: 'edge-canary', version: 1, written_at: writtenAt.toISOString(), sequence, writer });
}

/** Both buckets hold the package file and a fresh canary; the archive's copies say so in their bytes. */
export async function startBuckets(): Promise<Emulator> {
  const emulator = await startEmulator({ port: 0, buckets: [PRIMARY_BUCKET, ARCHIVE_BUCKET], hmacKeys: [CDN_KEY, ARCHIVE_KEY] });
  fillBuckets(emulator);
  return emulator;
}

export function fillBuckets(emulator: Emulator): void {
  emulator.putObject(PRIMARY_BUCKET, PACKAGE_OBJECT, 'primary package bytes', { contentType: 'application/gzip' });
  emulator.putObject(ARCHIVE_BUCKET, PACKAGE_OBJECT, 'archive package bytes', { contentType: 'application/gzip' });
  writeCanaries(emulator);
}

/** What the uploader writes (no-store), into both buckets, as a replicated archive would hold it. */
export function writeCanaries(emulator: Emulator, sequence = 1): void {
  const metadata = { contentType: 'application/json', cacheControl: 'no-store, max-age=0' };
  emulator.putObject(PRIMARY_BUCKET, CANARY_OBJECT, canaryJson(new Date(), sequence, 'primary'), metadata);
  emulator.putObject(ARCHIVE_BUCKET, CANARY_OBJECT, canaryJson(new Date(), sequence, 'archive'), metadata);
}

export type CdnOverrides = Partial<Omit<CdnOptions, 'origin'>> & { withFallback?: boolean; primarySecret?: string };

export function startTestCdn(emulator: Emulator, overrides: CdnOverrides = {}): Promise<RunningCdn> {
  const { withFallback, primarySecret, ...rest } = overrides;
  return startCdn({
    origin: { url: emulator.url, bucket: PRIMARY_BUCKET, accessId: CDN_KEY.accessId, secret: primarySecret ?? CDN_KEY.secret },
    ...(withFallback ? { fallback: { url: emulator.url, bucket: ARCHIVE_BUCKET, ...ARCHIVE_KEY } } : {}),
    canaryPath: CANARY_OBJECT,
    ...rest,
  });
}

/** A clock the test moves by hand, so ages and TTLs are exact without sleeping. */
export function manualClock(start = Date.now()) {
  let now = start;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

export async function get(url: string, init?: RequestInit) {
  const response = await fetch(url, init);
  return { status: response.status, headers: response.headers, body: await response.text() };
}

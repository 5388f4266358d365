/** What the emulator must hold for each origin of a stack, and how the stack describes them. */
import type { S3BucketSpec } from '../emulator';
import type { HmacKey, StackOrigin, StackSettings } from './manifest';

/** One bucket the canary reads, with the access id it reads it with (never the secret). */
export interface OriginSummary {
  /** `origin:primary`, `origin:fallback`, ... */
  target: string;
  bucket: string;
  object: string;
  provider: string;
  region: string;
  /** The key the canary reads it with (public); null when it is read unsigned. */
  accessId: string | null;
}

/** GCS buckets by name, S3-compatible ones with their provider's semantics and region. */
export function emulatorBuckets(origins: readonly StackOrigin[]): { buckets: string[]; s3Buckets: S3BucketSpec[] } {
  const buckets: string[] = [];
  const s3Buckets: S3BucketSpec[] = [];
  for (const { origin } of origins) {
    if (origin.provider === 'gcs') buckets.push(origin.bucket);
    else s3Buckets.push({ name: origin.bucket, provider: origin.provider === 'other' ? 's3' : origin.provider, ...(origin.region === 'auto' ? {} : { region: origin.region }) });
  }
  return { buckets, s3Buckets };
}

/** Origins may share a credential; the emulator needs each key once. */
export function distinctKeys(origins: readonly StackOrigin[]): HmacKey[] {
  const keys = new Map<string, HmacKey>();
  for (const { key } of origins) if (key) keys.set(key.accessId, key);
  return [...keys.values()];
}

export function describeOrigins(settings: StackSettings): OriginSummary[] {
  return settings.origins.map(({ origin, key }) => ({
    target: origin.target, bucket: origin.bucket, object: origin.object, provider: origin.provider, region: origin.region, accessId: key?.accessId ?? null,
  }));
}

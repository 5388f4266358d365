/**
 * Bucket flavours: GCS, or one of the S3-compatible providers, each with the error semantics the
 * real service answers with. The canary has to tell these apart, so the emulator must not blur them.
 */

export const S3_PROVIDERS = ['s3', 'b2', 'r2'] as const;
export type S3Provider = (typeof S3_PROVIDERS)[number];

export interface BucketFlavour {
  provider: 'gcs' | S3Provider;
  /** S3 flavours: the region the credential scope must name; undefined = any (R2: `auto` or `us-east-1`). */
  region?: string;
  /**
   * S3 and B2 flavours: whether the signing key may list the bucket. Without that permission a
   * missing object is 403 AccessDenied (S3 will not reveal whether the key exists); with it, 404 NoSuchKey.
   */
  keyCanList?: boolean;
}

export const GCS_FLAVOUR: BucketFlavour = { provider: 'gcs' };

export function isS3Flavour(flavour: BucketFlavour): flavour is BucketFlavour & { provider: S3Provider } {
  return flavour.provider !== 'gcs';
}

export function isS3Provider(value: unknown): value is S3Provider {
  return typeof value === 'string' && (S3_PROVIDERS as readonly string[]).includes(value);
}

/** R2 signs with region `auto`; `us-east-1` (and an empty region) are accepted aliases. */
const R2_REGIONS = ['auto', 'us-east-1', ''];

/** The regions a credential scope may name for this bucket, or null when any region is accepted. */
export function acceptedRegions(flavour: BucketFlavour): string[] | null {
  if (flavour.region !== undefined) return flavour.provider === 'r2' && flavour.region === 'auto' ? R2_REGIONS : [flavour.region];
  return flavour.provider === 'r2' ? R2_REGIONS : null;
}

/** S3 and B2 hide a missing object behind AccessDenied unless the key may list; R2 always says NoSuchKey. */
export function missingObjectIsAccessDenied(flavour: BucketFlavour): boolean {
  return (flavour.provider === 's3' || flavour.provider === 'b2') && flavour.keyCanList !== true;
}

/** Options for an S3-flavoured bucket, as startEmulator, createBucket and the control API take them. */
export interface S3BucketSpec {
  name: string;
  provider: S3Provider;
  region?: string;
  keyCanList?: boolean;
  /** Unsigned reads allowed; private by default. */
  public?: boolean;
}

export function flavourOf(spec: Omit<S3BucketSpec, 'name' | 'public'>): BucketFlavour {
  const flavour: BucketFlavour = { provider: spec.provider };
  if (spec.region !== undefined) flavour.region = spec.region;
  if (spec.keyCanList !== undefined) flavour.keyCanList = spec.keyCanList;
  return flavour;
}

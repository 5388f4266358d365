/** The body of `POST /_emulator/buckets/:bucket`, validated into store options. */
import { ControlInputError } from './errors';
import { GCS_FLAVOUR, S3_PROVIDERS, flavourOf, isS3Provider } from './providers';
import type { CreateBucketOptions } from './store';

/** `{"public"?: bool, "provider"?: "gcs"|"s3"|"b2"|"r2", "region"?: string, "keyCanList"?: bool}` */
export function bucketOptions(fields: Record<string, unknown>): CreateBucketOptions {
  const { public: isPublic, provider, region, keyCanList, ...unknown } = fields;
  const unknownKeys = Object.keys(unknown);
  if (unknownKeys.length > 0) throw new ControlInputError(`unknown bucket field(s): ${unknownKeys.join(', ')}; use public, provider, region, keyCanList`);
  if (isPublic !== undefined && typeof isPublic !== 'boolean') throw new ControlInputError('"public" must be true or false');
  if (provider !== undefined && provider !== 'gcs' && !isS3Provider(provider)) throw new ControlInputError(`"provider" must be one of gcs, ${S3_PROVIDERS.join(', ')}`);
  if (region !== undefined && typeof region !== 'string') throw new ControlInputError('"region" must be a string');
  if (keyCanList !== undefined && typeof keyCanList !== 'boolean') throw new ControlInputError('"keyCanList" must be true or false');
  if ((region !== undefined || keyCanList !== undefined) && !isS3Provider(provider)) throw new ControlInputError('"region" and "keyCanList" apply to S3-flavoured buckets: give "provider" too');
  const options: CreateBucketOptions = {};
  if (isPublic !== undefined) options.publicRead = isPublic;
  if (provider === 'gcs') options.flavour = GCS_FLAVOUR;
  else if (isS3Provider(provider)) {
    options.flavour = flavourOf({ provider, ...(region !== undefined ? { region } : {}), ...(keyCanList !== undefined ? { keyCanList } : {}) });
  }
  return options;
}


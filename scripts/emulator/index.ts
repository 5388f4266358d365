/**
 * The storage emulator: GCS (JSON and XML APIs) and S3-flavoured buckets (the S3 XML API with the
 * semantics of AWS S3, Backblaze B2 or Cloudflare R2) on one port, plus the control API.
 *
 * S3-flavoured buckets:
 *   startEmulator({ buckets: ['edge-canary-local'], hmacKeys: [...],
 *     s3Buckets: [{ name: 'files-b2', provider: 'b2', region: 'us-east-005' },
 *                 { name: 'files-archive', provider: 's3', region: 'us-west-2' },
 *                 { name: 'files-r2', provider: 'r2' }] })
 *   emulator.createBucket('files-archive', { provider: 's3', region: 'us-west-2', keyCanList: false })
 *   POST /_emulator/buckets/files-archive {"provider":"s3","region":"us-west-2"}
 *   npm run emulator -- --s3-bucket files-archive:s3:us-west-2
 *   emulator.putObject('files-archive', 'edge-canary/canary.json', body, { checksumAlgorithm: 'CRC32C' })
 * They take AWS4-HMAC-SHA256 only (service s3; `region` when given must match the scope, R2
 * accepts auto/us-east-1) with the same key ring as GCS, path style or virtual-host style
 * (`BUCKET.s3.REGION.amazonaws.com`, `BUCKET.s3.REGION.backblazeb2.com`,
 * `BUCKET.ACCOUNT.r2.cloudflarestorage.com`). Faults, key rotation and object removal apply as on GCS.
 * Semantics: R2 answers a bad key or signature 401 Unauthorized, S3/B2 403 SignatureDoesNotMatch or
 * InvalidAccessKeyId; a missing object is 403 AccessDenied on S3/B2 (404 NoSuchKey with
 * `keyCanList: true`, and always on R2). Reads carry an MD5 ETag, no x-goog-*, and, when the
 * request sends `x-amz-checksum-mode: ENABLED` and the object was written with one,
 * `x-amz-checksum-<alg>` and `x-amz-checksum-type: FULL_OBJECT`.
 */
export { startEmulator, PortInUseError } from './server';
export type { CreateBucketInput, PutObjectInput, Emulator, EmulatorOptions } from './server';
export type { S3BucketSpec, S3Provider } from './providers';
export { S3_PROVIDERS } from './providers';
export type { LogEntry } from './request-log';
export type { FaultSpec, ActiveFault, FaultType, FaultScope } from './faults';
export type { HmacKey } from './keys';
export { loadManifestDefaults } from './manifest';
export type { ManifestDefaults } from './manifest';
export type { ObjectMetadataInput } from './store';

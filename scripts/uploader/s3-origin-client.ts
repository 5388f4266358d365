/**
 * An S3 client for one S3-compatible origin. Keys come from the environment, never argv:
 * `EDGE_CANARY_<CREDENTIAL>_ACCESS_KEY_ID` and `..._SECRET_ACCESS_KEY` (the origin's `credential`
 * uppercased, `-` as `_`), or else the AWS SDK's default chain (AWS_ACCESS_KEY_ID, profiles, roles).
 */
import { S3Client } from '@aws-sdk/client-s3';
import { quietAwsSdkNodeVersionWarning } from './aws-sdk-node-warning';
import { UsageError } from './errors';
import type { UploadOrigin } from './origins-file';
import { DEFAULT_REQUEST_TIMEOUT_MS } from './storage-client';

export function credentialEnvNames(credential: string): { accessKeyId: string; secretAccessKey: string } {
  const stem = `EDGE_CANARY_${credential.toUpperCase().replace(/-/g, '_')}`;
  return { accessKeyId: `${stem}_ACCESS_KEY_ID`, secretAccessKey: `${stem}_SECRET_ACCESS_KEY` };
}

function credentialsFor(origin: UploadOrigin, env: NodeJS.ProcessEnv): { accessKeyId: string; secretAccessKey: string } | undefined {
  if (origin.credential === null) return undefined;
  const names = credentialEnvNames(origin.credential);
  const accessKeyId = env[names.accessKeyId];
  const secretAccessKey = env[names.secretAccessKey];
  if (!accessKeyId && !secretAccessKey) return undefined;
  if (!accessKeyId || !secretAccessKey) {
    throw new UsageError(`origin ${origin.name}: set both ${names.accessKeyId} and ${names.secretAccessKey}, or neither (for the AWS SDK's default chain)`);
  }
  return { accessKeyId, secretAccessKey };
}

export interface S3ClientOptions {
  /** Emulator or other custom endpoint; requests then go there, path style. */
  endpoint?: string;
  env: NodeJS.ProcessEnv;
  requestTimeoutMs?: number;
}

/** The URL requests go to: the custom endpoint, or https://<host> of the origin. */
export function s3EndpointOf(origin: UploadOrigin, endpoint: string | undefined): string {
  return endpoint ?? `https://${origin.host}`;
}

export function createS3Client(origin: UploadOrigin, options: S3ClientOptions): S3Client {
  const credentials = credentialsFor(origin, options.env);
  const timeout = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  quietAwsSdkNodeVersionWarning();
  return new S3Client({
    region: origin.region,
    endpoint: s3EndpointOf(origin, options.endpoint),
    // A custom endpoint (the emulator) has no per-bucket host names.
    forcePathStyle: options.endpoint !== undefined || origin.urlStyle === 'path',
    ...(credentials ? { credentials } : {}),
    // writeCanary retries whole read-write cycles itself; the SDK's retries would multiply with those.
    maxAttempts: 1,
    requestHandler: { requestTimeout: timeout, connectionTimeout: timeout },
  });
}

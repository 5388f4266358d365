/** An @aws-sdk/client-s3 client pointed at the emulator, path style, with a test key. */
import { S3Client } from '@aws-sdk/client-s3';
import { quietAwsSdkNodeVersionWarning } from '../../scripts/uploader/aws-sdk-node-warning';

export interface EmulatorS3ClientInput {
  url: string;
  accessId: string;
  secret: string;
  region?: string;
}

export function emulatorS3Client({ url, accessId, secret, region = 'us-east-1' }: EmulatorS3ClientInput): S3Client {
  quietAwsSdkNodeVersionWarning();
  return new S3Client({
    region,
    endpoint: url,
    forcePathStyle: true,
    credentials: { accessKeyId: accessId, secretAccessKey: secret },
    // The emulator answers at once; the SDK's retries would only hide a wrong answer.
    maxAttempts: 1,
  });
}

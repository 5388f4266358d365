/**
 * S3-style XML errors and how each provider words them. R2 answers every bad credential with
 * 401 Unauthorized; S3 and B2 with 403 and a specific code.
 */
import { randomBytes } from 'node:crypto';
import { XmlApiError, escapeXml } from './errors';
import type { S3Provider } from './providers';

export function s3RequestId(): string {
  return randomBytes(8).toString('hex').toUpperCase();
}

/** `<Error><Code/><Message/>…<RequestId/></Error>`, as AWS S3 renders it (R2 and B2 use the same shape). */
export function renderS3Error(error: XmlApiError, requestId: string, resource: { bucket?: string; key?: string }): string {
  const fields: Array<readonly [string, string]> = [['Code', error.code], ['Message', error.message]];
  if (resource.key && (error.code === 'NoSuchKey' || error.code === 'PreconditionFailed')) fields.push(['Key', resource.key]);
  if (resource.bucket && error.code === 'NoSuchBucket') fields.push(['BucketName', resource.bucket]);
  fields.push(...error.extra, ['RequestId', requestId]);
  const body = fields.map(([name, value]) => `<${name}>${escapeXml(value)}</${name}>`).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error>${body}</Error>`;
}

const CREDENTIAL_CODES = new Set(['InvalidAccessKeyId', 'SignatureDoesNotMatch']);

/**
 * The signature verifier speaks GCS; this gives its verdicts each provider's wording. The
 * diagnostic extras (StringToSign, CanonicalRequest) stay, as AWS sends them too.
 */
export function providerAuthError(provider: S3Provider, error: XmlApiError): XmlApiError {
  if (!CREDENTIAL_CODES.has(error.code)) return error;
  if (provider === 'r2') return new XmlApiError(401, 'Unauthorized', 'Unauthorized: the access key or the signature is not valid.');
  if (error.code === 'InvalidAccessKeyId') {
    return new XmlApiError(403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', error.extra);
  }
  const message = provider === 'b2'
    ? 'Signature validation failed'
    : 'The request signature we calculated does not match the signature you provided. Check your key and signing method.';
  return new XmlApiError(403, 'SignatureDoesNotMatch', message, error.extra);
}

export const s3Errors = {
  accessDenied: () => new XmlApiError(403, 'AccessDenied', 'Access Denied'),
  noSuchKey: () => new XmlApiError(404, 'NoSuchKey', 'The specified key does not exist.'),
  noSuchBucket: () => new XmlApiError(404, 'NoSuchBucket', 'The specified bucket does not exist'),
  preconditionFailed: (condition: string) =>
    new XmlApiError(412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', [['Condition', condition]]),
  badDigest: (what: string) => new XmlApiError(400, 'BadDigest', `The ${what} you specified did not match the calculated checksum.`),
  invalidRequest: (message: string) => new XmlApiError(400, 'InvalidRequest', message),
  invalidArgument: (message: string) => new XmlApiError(400, 'InvalidArgument', message),
  wrongRegion: (given: string, expected: string) =>
    new XmlApiError(400, 'AuthorizationHeaderMalformed', `The authorization header is malformed; the region '${given}' is wrong; expecting '${expected}'`, [['Region', expected]]),
  contentSha256Mismatch: () =>
    new XmlApiError(400, 'XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed."),
  incompleteBody: () => new XmlApiError(400, 'IncompleteBody', 'You did not provide the number of bytes specified by the Content-Length HTTP header.'),
  notImplemented: (message: string) => new XmlApiError(501, 'NotImplemented', message),
  entityTooLarge: (limit: number) => new XmlApiError(400, 'EntityTooLarge', `Your proposed upload exceeds the emulator's maximum of ${limit} bytes.`),
};

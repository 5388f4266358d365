/**
 * Signatures computed by hand in the tests with node:crypto, step by step from the published
 * algorithms, so the emulator's verifier is checked against something it did not write.
 * Paths given here must already be in canonical form (encodeURIComponent per segment).
 */
import { createHash, createHmac } from 'node:crypto';

const hmac = (key: Buffer | string, text: string): Buffer => createHmac('sha256', key).update(text).digest();
const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

export interface HandSignInput {
  accessId: string;
  secret: string;
  host: string;
  path: string;
  /** Epoch ms of the request. */
  time: number;
  method?: string;
  /** Already canonical (sorted, RFC 3986 encoded); empty by default. */
  query?: string;
}

function basicIso(time: number): string {
  return new Date(time).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** GOOG4-HMAC-SHA256 in the Authorization header, region auto, service storage. */
export function goog4Headers(input: HandSignInput): Record<string, string> {
  const timestamp = basicIso(input.time);
  const date = timestamp.slice(0, 8);
  const scope = `${date}/auto/storage/goog4_request`;
  const payload = 'UNSIGNED-PAYLOAD';
  const canonical = [
    input.method ?? 'GET',
    input.path,
    input.query ?? '',
    `host:${input.host}\nx-goog-content-sha256:${payload}\nx-goog-date:${timestamp}\n`,
    'host;x-goog-content-sha256;x-goog-date',
    payload,
  ].join('\n');
  const stringToSign = ['GOOG4-HMAC-SHA256', timestamp, scope, sha256(canonical)].join('\n');
  let key: Buffer = hmac(`GOOG4${input.secret}`, date);
  for (const step of ['auto', 'storage', 'goog4_request']) key = hmac(key, step);
  const signature = createHmac('sha256', key).update(stringToSign).digest('hex');
  return {
    Host: input.host,
    'x-goog-date': timestamp,
    'x-goog-content-sha256': payload,
    Authorization: `GOOG4-HMAC-SHA256 Credential=${input.accessId}/${scope}, SignedHeaders=host;x-goog-content-sha256;x-goog-date, Signature=${signature}`,
  };
}

/** V2 (HMAC-SHA1) with a Date header; `resource` is `/bucket/object` as signed. */
export function v2Headers(input: HandSignInput & { prefix: 'AWS' | 'GOOG1'; resource?: string }): Record<string, string> {
  const date = new Date(input.time).toUTCString();
  const stringToSign = `${input.method ?? 'GET'}\n\n\n${date}\n${input.resource ?? input.path}`;
  const signature = createHmac('sha1', input.secret).update(stringToSign).digest('base64');
  return { Host: input.host, Date: date, Authorization: `${input.prefix} ${input.accessId}:${signature}` };
}

export interface S3HandSignInput extends HandSignInput {
  /** Default us-east-1. */
  region?: string;
  /** The x-amz-content-sha256 value; default the SHA-256 of `body` (or of the empty body). */
  payloadHash?: string;
  body?: string;
  /** Extra headers to sign, lowercase names. */
  extra?: Record<string, string>;
}

/** AWS4-HMAC-SHA256 as S3 wants it: service s3, x-amz-content-sha256 always present and signed. */
export function s3Aws4Headers(input: S3HandSignInput): Record<string, string> {
  const timestamp = basicIso(input.time);
  const date = timestamp.slice(0, 8);
  const region = input.region ?? 'us-east-1';
  const scope = `${date}/${region}/s3/aws4_request`;
  const payload = input.payloadHash ?? sha256(input.body ?? '');
  const signed: Record<string, string> = { host: input.host, 'x-amz-content-sha256': payload, 'x-amz-date': timestamp, ...input.extra };
  const names = Object.keys(signed).sort();
  const canonical = [
    input.method ?? 'GET',
    input.path,
    input.query ?? '',
    names.map((n) => `${n}:${signed[n]}\n`).join(''),
    names.join(';'),
    payload,
  ].join('\n');
  const stringToSign = ['AWS4-HMAC-SHA256', timestamp, scope, sha256(canonical)].join('\n');
  let key: Buffer = hmac(`AWS4${input.secret}`, date);
  for (const step of [region, 's3', 'aws4_request']) key = hmac(key, step);
  const signature = createHmac('sha256', key).update(stringToSign).digest('hex');
  const { host, ...rest } = signed;
  return {
    Host: host ?? input.host,
    ...rest,
    Authorization: `AWS4-HMAC-SHA256 Credential=${input.accessId}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}`,
  };
}

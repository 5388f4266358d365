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

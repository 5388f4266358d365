/**
 * Signature Version 4 with an Authorization header, for both AWS4-HMAC-SHA256 and GCS's
 * GOOG4-HMAC-SHA256: the same algorithm with a different name, key prefix, scope terminator and
 * header prefix.
 */
import { SigningInputError, assertValidDate } from './errors';
import { hmac, sha256Hex, toHex } from './hmac';
import type { KeyMaterial } from './hmac';

export type V4Algorithm = 'AWS4' | 'GOOG4';

export interface SignV4Input {
  algorithm: V4Algorithm;
  service: string;
  region: string;
  method: string;
  /** Already encoded URL without a query; its path is the canonical URI as is (S3-style, no double encoding). */
  url: string;
  /** Headers to sign and send besides host and the date header, e.g. x-amz-content-sha256. */
  headers: Record<string, string>;
  payloadHash: string;
  date: Date;
  accessId: string;
  secret: string;
}

export interface SignV4Result {
  authorization: string;
  /** What to send: the given headers, the date header and authorization, all lower-case; never host. */
  headers: Record<string, string>;
  signedHeaders: string;
  /** For tests only: never log, return or render these (DESIGN section 3). */
  canonicalRequest: string;
  stringToSign: string;
}

const VARIANTS = {
  AWS4: { headerPrefix: 'x-amz', terminator: 'aws4_request' },
  GOOG4: { headerPrefix: 'x-goog', terminator: 'goog4_request' },
} as const;

/** Basic ISO 8601 timestamp as V4 wants it: 20150830T123600Z. */
export function v4DateTime(date: Date): string {
  assertValidDate(date);
  return date.toISOString().replace(/[-:]|\.\d{3}/g, '');
}

function canonicalHeaderValue(value: string): string {
  return value.trim().replace(/\s+/g, ' ');
}

function parseUrl(url: string): URL {
  const parsed = new URL(url);
  if (parsed.search !== '' || parsed.hash !== '') {
    throw new SigningInputError('url', 'query strings and fragments are not signed here');
  }
  return parsed;
}

export async function signV4(input: SignV4Input): Promise<SignV4Result> {
  const { algorithm, service, region, accessId } = input;
  const { headerPrefix, terminator } = VARIANTS[algorithm];
  const url = parseUrl(input.url);
  const dateTime = v4DateTime(input.date);
  const dateHeader = `${headerPrefix}-date`;

  const sent: Record<string, string> = {};
  for (const [name, value] of Object.entries(input.headers)) sent[name.toLowerCase()] = value;
  delete sent.host;
  sent[dateHeader] = dateTime;

  const signed: Record<string, string> = { ...sent, host: url.host };
  const names = Object.keys(signed).sort();
  const canonicalHeaders = names.map((name) => `${name}:${canonicalHeaderValue(signed[name] ?? '')}\n`).join('');
  const signedHeaders = names.join(';');
  const canonicalRequest = [input.method, url.pathname, '', canonicalHeaders, signedHeaders, input.payloadHash].join('\n');

  const scopeParts = [dateTime.slice(0, 8), region, service, terminator];
  const scope = scopeParts.join('/');
  const name = `${algorithm}-HMAC-SHA256`;
  const stringToSign = [name, dateTime, scope, await sha256Hex(canonicalRequest)].join('\n');

  let key: KeyMaterial = `${algorithm}${input.secret}`;
  for (const part of scopeParts) key = await hmac('SHA-256', key, part);
  const signature = toHex(await hmac('SHA-256', key, stringToSign));

  const authorization = `${name} Credential=${accessId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return { authorization, headers: { ...sent, authorization }, signedHeaders, canonicalRequest, stringToSign };
}

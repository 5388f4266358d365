/** GOOG4-HMAC-SHA256 and AWS4-HMAC-SHA256: the same V4 algorithm under two names. */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { canonicalHeadersV4, canonicalQueryV4, canonicalUriV4 } from './canonical';
import type { ReceivedRequest } from './canonical';

export type V4Algorithm = 'GOOG4-HMAC-SHA256' | 'AWS4-HMAC-SHA256';

export interface V4Scope {
  /** YYYYMMDD */
  date: string;
  region: string;
  service: string;
  /** `goog4_request` or `aws4_request` */
  terminator: string;
}

export interface V4Authorization extends V4Scope {
  algorithm: V4Algorithm;
  accessId: string;
  signedHeaders: string[];
  /** Lowercase hex. */
  signature: string;
}

export class MalformedAuthorizationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedAuthorizationError';
  }
}

const ALGORITHMS: readonly V4Algorithm[] = ['GOOG4-HMAC-SHA256', 'AWS4-HMAC-SHA256'];

export function isV4Authorization(header: string): boolean {
  return ALGORITHMS.some((alg) => header.startsWith(`${alg} `));
}

/** `ALG Credential=ID/DATE/REGION/SERVICE/TERM, SignedHeaders=a;b, Signature=hex` */
export function parseV4Authorization(header: string): V4Authorization {
  const algorithm = ALGORITHMS.find((alg) => header.startsWith(`${alg} `));
  if (!algorithm) throw new MalformedAuthorizationError('unsupported signature algorithm');
  const fields = new Map<string, string>();
  for (const part of header.slice(algorithm.length + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq === -1) throw new MalformedAuthorizationError('Authorization header field without "="');
    fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const credential = fields.get('Credential');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (!credential || !signedHeaders || !signature) {
    throw new MalformedAuthorizationError('Authorization header needs Credential, SignedHeaders and Signature');
  }
  const parts = credential.split('/');
  if (parts.length < 5) throw new MalformedAuthorizationError('Credential must be ID/DATE/REGION/SERVICE/TERMINATOR');
  const [date, region, service, terminator] = parts.slice(-4) as [string, string, string, string];
  const accessId = parts.slice(0, -4).join('/');
  if (!accessId || !/^\d{8}$/.test(date) || !region || !service) {
    throw new MalformedAuthorizationError('Credential scope is malformed');
  }
  if (!/^[0-9a-fA-F]{64}$/.test(signature)) throw new MalformedAuthorizationError('Signature must be 64 hex digits');
  return {
    algorithm,
    accessId,
    date,
    region,
    service,
    terminator,
    signedHeaders: signedHeaders.split(';').map((h) => h.trim().toLowerCase()),
    signature: signature.toLowerCase(),
  };
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export function canonicalRequestV4(request: ReceivedRequest, signedHeaders: readonly string[], payloadHash: string): string {
  return [
    request.method,
    canonicalUriV4(request.rawPath),
    canonicalQueryV4(request.rawQuery),
    canonicalHeadersV4(request.headers, signedHeaders),
    signedHeaders.join(';'),
    payloadHash,
  ].join('\n');
}

export function scopeString(scope: V4Scope): string {
  return `${scope.date}/${scope.region}/${scope.service}/${scope.terminator}`;
}

export function stringToSignV4(algorithm: V4Algorithm, timestamp: string, scope: V4Scope, canonicalRequest: string): string {
  return [algorithm, timestamp, scopeString(scope), sha256Hex(canonicalRequest)].join('\n');
}

/** kSecret = "AWS4"/"GOOG4" + secret, then date, region, service, terminator. */
export function signingKeyV4(algorithm: V4Algorithm, secret: string, scope: V4Scope): Buffer {
  const prefix = algorithm === 'GOOG4-HMAC-SHA256' ? 'GOOG4' : 'AWS4';
  let key: Buffer = Buffer.from(prefix + secret, 'utf8');
  for (const step of [scope.date, scope.region, scope.service, scope.terminator]) {
    key = createHmac('sha256', key).update(step, 'utf8').digest();
  }
  return key;
}

export interface V4Check {
  ok: boolean;
  canonicalRequest: string;
  stringToSign: string;
  expectedSignature: string;
}

/**
 * Recomputes the signature for each acceptable payload hash (the first is the one reported on
 * mismatch) and compares in constant time.
 */
export function checkV4Signature(
  request: ReceivedRequest,
  auth: V4Authorization,
  secret: string,
  timestamp: string,
  payloadHashes: readonly string[],
): V4Check {
  const key = signingKeyV4(auth.algorithm, secret, auth);
  const given = Buffer.from(auth.signature, 'hex');
  let first: V4Check | undefined;
  for (const payloadHash of payloadHashes) {
    const canonicalRequest = canonicalRequestV4(request, auth.signedHeaders, payloadHash);
    const stringToSign = stringToSignV4(auth.algorithm, timestamp, auth, canonicalRequest);
    const expected = createHmac('sha256', key).update(stringToSign, 'utf8').digest();
    const ok = expected.length === given.length && timingSafeEqual(expected, given);
    const check = { ok, canonicalRequest, stringToSign, expectedSignature: expected.toString('hex') };
    if (ok) return check;
    first ??= check;
  }
  if (!first) throw new Error('checkV4Signature needs at least one payload hash');
  return first;
}

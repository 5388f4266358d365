/** V2 HMAC-SHA1 signatures: `Authorization: AWS id:sig` and `GOOG1 id:sig`. */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { headerValue, headerValues, normalizeHeaderValue } from './canonical';
import type { ReceivedRequest } from './canonical';
import { MalformedAuthorizationError } from './verify-v4';

export type V2Prefix = 'AWS' | 'GOOG1';

export interface V2Authorization {
  prefix: V2Prefix;
  accessId: string;
  /** Base64 as sent. */
  signature: string;
}

export function isV2Authorization(header: string): boolean {
  return header.startsWith('AWS ') || header.startsWith('GOOG1 ');
}

export function parseV2Authorization(header: string): V2Authorization {
  const prefix: V2Prefix = header.startsWith('GOOG1 ') ? 'GOOG1' : 'AWS';
  const credential = header.slice(prefix.length + 1).trim();
  const colon = credential.indexOf(':');
  const accessId = colon === -1 ? '' : credential.slice(0, colon);
  const signature = colon === -1 ? '' : credential.slice(colon + 1);
  if (!accessId || !/^[A-Za-z0-9+/]+={0,2}$/.test(signature)) {
    throw new MalformedAuthorizationError(`${prefix} Authorization must be "${prefix} ACCESS_ID:BASE64_SIGNATURE"`);
  }
  return { prefix, accessId, signature };
}

/** Query parameters that name a sub-resource and so belong to the signed resource. */
const SUBRESOURCES = new Set(['acl', 'cors', 'lifecycle', 'location', 'logging', 'storageClass', 'tagging', 'versioning', 'website', 'billing', 'encryption']);

/**
 * The resource as S3/GCS V2 signs it: the undecoded path, prefixed with `/bucket` when the
 * bucket came from the Host header, plus any sub-resource.
 */
export function canonicalResourceV2(request: ReceivedRequest, virtualHostBucket: string | null): string {
  const base = virtualHostBucket === null ? request.rawPath : `/${virtualHostBucket}${request.rawPath}`;
  const subresources = request.rawQuery
    .split('&')
    .filter((piece) => SUBRESOURCES.has(piece.split('=')[0] ?? ''))
    .sort();
  return subresources.length === 0 ? base : `${base}?${subresources.join('&')}`;
}

function extensionHeaders(request: ReceivedRequest): string {
  const names = [...new Set(request.headers.map(([n]) => n.toLowerCase()))]
    .filter((n) => n.startsWith('x-goog-') || n.startsWith('x-amz-'))
    .sort();
  return names.map((n) => `${n}:${headerValues(request.headers, n).map(normalizeHeaderValue).join(',')}\n`).join('');
}

/** When x-amz-date or x-goog-date is sent it is signed as an extension header and the Date line stays empty. */
export function stringToSignV2(request: ReceivedRequest, virtualHostBucket: string | null): string {
  const hasExtensionDate = headerValue(request.headers, 'x-amz-date') !== undefined || headerValue(request.headers, 'x-goog-date') !== undefined;
  return [
    request.method,
    headerValue(request.headers, 'content-md5') ?? '',
    headerValue(request.headers, 'content-type') ?? '',
    hasExtensionDate ? '' : (headerValue(request.headers, 'date') ?? ''),
    extensionHeaders(request) + canonicalResourceV2(request, virtualHostBucket),
  ].join('\n');
}

export interface V2Check {
  ok: boolean;
  stringToSign: string;
  expectedSignature: string;
}

export function checkV2Signature(request: ReceivedRequest, auth: V2Authorization, secret: string, virtualHostBucket: string | null): V2Check {
  const stringToSign = stringToSignV2(request, virtualHostBucket);
  const expected = createHmac('sha1', secret).update(stringToSign, 'utf8').digest();
  const given = Buffer.from(auth.signature, 'base64');
  const ok = expected.length === given.length && timingSafeEqual(expected, given);
  return { ok, stringToSign, expectedSignature: expected.toString('base64') };
}

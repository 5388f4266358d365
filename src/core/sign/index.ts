/** Signs the canary's object GET/HEAD the way the production CDN does: GOOG4, AWS4, V2 or not at all. */
import { SigningInputError } from './errors';
import { canonicalResourceV2, objectUrl } from './url';
import type { ObjectLocation } from './url';
import { signV2, v2Date } from './v2';
import { signV4 } from './v4';

export { SigningInputError } from './errors';
export { canonicalResourceV2, encodeObjectName, encodeSegment, objectPath, objectUrl } from './url';
export type { ObjectLocation, UrlStyle } from './url';
export { signV2, v2Date } from './v2';
export type { SignV2Input, SignV2Result } from './v2';
export { signV4, v4DateTime } from './v4';
export type { SignV4Input, SignV4Result, V4Algorithm } from './v4';

export type SigningScheme = 'goog4' | 'aws4' | 'v2' | 'none';

export interface SignObjectRequestInput {
  method: 'GET' | 'HEAD';
  location: ObjectLocation;
  scheme: SigningScheme;
  /** Ignored for 'none'. */
  accessId: string;
  /** Ignored for 'none'. */
  secret: string;
  /** 'auto' by default in config; used by goog4 and aws4. */
  region: string;
  date: Date;
  /** More headers to send and sign (aws4 only), such as S3's `x-amz-checksum-mode`. */
  extraAmzHeaders?: Record<string, string>;
}

export interface SignedObjectRequest {
  url: string;
  /** Lower-case names; never a Host header: the URL's host is the one signed. */
  headers: Record<string, string>;
}

const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

/** The URL to request and the headers to send (authorization, date headers; never a Host header). For 'none', no auth headers. */
export async function signObjectRequest(input: SignObjectRequestInput): Promise<SignedObjectRequest> {
  const { method, location, accessId, secret, region, date } = input;
  const url = objectUrl(location);
  switch (input.scheme) {
    case 'none':
      return { url, headers: {} };
    case 'goog4':
    case 'aws4': {
      const aws = input.scheme === 'aws4';
      const signed = await signV4({
        algorithm: aws ? 'AWS4' : 'GOOG4',
        service: aws ? 's3' : 'storage',
        headers: { [aws ? 'x-amz-content-sha256' : 'x-goog-content-sha256']: UNSIGNED_PAYLOAD, ...(aws ? input.extraAmzHeaders : {}) },
        payloadHash: UNSIGNED_PAYLOAD,
        region, method, url, date, accessId, secret,
      });
      return { url, headers: signed.headers };
    }
    case 'v2': {
      const dateHeader = v2Date(date);
      const signed = await signV2({ method, date: dateHeader, resource: canonicalResourceV2(location), accessId, secret });
      return { url, headers: { date: dateHeader, authorization: signed.authorization } };
    }
    default:
      throw new SigningInputError('scheme', `unknown signing scheme ${String(input.scheme)}`);
  }
}

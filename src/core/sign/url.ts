/** Object URLs in path and virtual-host style, with the percent-encoding every signature scheme agrees on. */
import { SigningInputError } from './errors';

export type UrlStyle = 'path' | 'virtual';

export interface ObjectLocation {
  host: string;
  bucket: string;
  object: string;
  urlStyle: UrlStyle;
}

const UNRESERVED = /^[A-Za-z0-9\-._~]$/;
const utf8 = new TextEncoder();

/** RFC 3986 encoding of one path segment: unreserved characters kept, every other UTF-8 byte as %XX. */
export function encodeSegment(segment: string): string {
  let encoded = '';
  for (const char of segment) {
    if (UNRESERVED.test(char)) {
      encoded += char;
      continue;
    }
    for (const byte of utf8.encode(char)) encoded += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return encoded;
}

/** Encodes an object name segment by segment, so `/` stays the separator and empty segments survive. */
export function encodeObjectName(object: string): string {
  return object.split('/').map(encodeSegment).join('/');
}

// Fetch resolves `.` and `..` segments (even as %2E), so such a request would not be the one signed.
const DOT_SEGMENT = /^(\.|\.\.)$/;

function checkLocation({ bucket, object, host }: ObjectLocation): void {
  if (host === '') throw new SigningInputError('host', 'must not be empty');
  if (bucket === '') throw new SigningInputError('bucket', 'must not be empty');
  if (object === '') throw new SigningInputError('object', 'must not be empty');
  if (object.split('/').some((segment) => DOT_SEGMENT.test(segment))) {
    throw new SigningInputError('object', 'must not contain "." or ".." path segments');
  }
}

/** The encoded path of the request: `/<bucket>/<object>` in path style, `/<object>` in virtual-host style. */
export function objectPath(location: ObjectLocation): string {
  checkLocation(location);
  const object = encodeObjectName(location.object);
  return location.urlStyle === 'path' ? `/${encodeSegment(location.bucket)}/${object}` : `/${object}`;
}

/** https URL of the object, encoded as described. */
export function objectUrl(location: ObjectLocation): string {
  const host = location.urlStyle === 'path' ? location.host : `${location.bucket}.${location.host}`;
  return `https://${host}${objectPath(location)}`;
}

/** V2's CanonicalizedResource names the bucket in both URL styles. */
export function canonicalResourceV2(location: ObjectLocation): string {
  return objectPath({ ...location, urlStyle: 'path' });
}

/**
 * Validation of the fields that say where one origin's canary object lives (bucket, object, host,
 * URL style, region), shared by the flat one-origin keys and each entry of `origins`: the same rule
 * gives the same message, prefixed by the field's name (`bucket: ...`, `origins[1].bucket: ...`).
 */
import type { SigningScheme, UrlStyle } from './sign';

/** Where one origin's canary object is and how a GET of it is signed. */
export interface OriginLocation {
  bucket: string;
  object: string;
  signing: SigningScheme;
  originHost: string;
  urlStyle: UrlStyle;
  region: string;
}

export const SIGNING_SCHEMES: readonly SigningScheme[] = ['goog4', 'aws4', 'v2', 'none'];
export const URL_STYLES: readonly UrlStyle[] = ['path', 'virtual'];

const BUCKET_NAME = /^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/;
const HOST_AND_PORT = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?$/i;
const REGION = /^[a-z0-9-]{1,64}$/;
// Control characters and wildcard-looking characters never name the canary object.
const OBJECT_FORBIDDEN = /[\u0000-\u001f\u007f-\u009f#*?[\]]/;

/** Shows a bad value inline, shortened so a pasted secret or essay never fills a report. */
export function quote(value: string): string {
  const shown = value.length > 64 ? `${value.slice(0, 61)}...` : value;
  return JSON.stringify(shown);
}

/** `kind` names the store in the message: "GCS" for the flat keys, as it always said, "S3" or "bucket" otherwise. */
export function checkBucket(field: string, bucket: string, kind: string, errors: string[]): void {
  if (bucket && !BUCKET_NAME.test(bucket)) errors.push(`${field}: not a valid ${kind} name (got ${quote(bucket)})`);
}

export function checkObject(field: string, object: string, errors: string[]): void {
  const dotSegment = object.split('/').some((segment) => segment === '.' || segment === '..');
  if (object && (OBJECT_FORBIDDEN.test(object) || object.startsWith('/') || dotSegment || new TextEncoder().encode(object).length > 1024)) {
    errors.push(`${field}: must be a plain object name without control characters, wildcards, '#', '.' or '..' segments or a leading '/' (got ${quote(object)})`);
  }
}

export function checkHost(field: string, host: string, errors: string[]): void {
  const port = host.includes(':') ? Number(host.slice(host.lastIndexOf(':') + 1)) : 443;
  if (!HOST_AND_PORT.test(host) || port < 1 || port > 65535) {
    errors.push(`${field}: must be a host name with an optional port, no scheme or path (got ${quote(host)})`);
  }
}

export function checkVirtualStyle(field: string, urlStyle: UrlStyle, bucket: string, errors: string[]): void {
  if (urlStyle === 'virtual' && bucket.includes('.')) {
    errors.push(`${field}: virtual cannot be used with a bucket name containing dots: the TLS certificate would not match (bucket ${quote(bucket)})`);
  }
}

export function checkRegion(field: string, region: string, errors: string[]): void {
  if (!REGION.test(region)) errors.push(`${field}: must be a region name such as auto or us-east1 (got ${quote(region)})`);
}

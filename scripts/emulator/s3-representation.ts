/** How a stored object looks on an S3-flavoured read: ETag, x-amz-meta-*, and no x-goog-* at all. */
import { checksumHeaderName } from './s3-checksums';
import type { StoredObject } from './store';
import { xmlEtag } from './store';

/**
 * `checksumMode`: the request sent `x-amz-checksum-mode: ENABLED`. Like S3, the checksum written
 * with the object is only answered then, and only when one was written.
 */
export function s3ObjectHeaders(object: StoredObject, checksumMode: boolean): Record<string, string> {
  const headers: Record<string, string> = {
    'Content-Type': object.contentType,
    'Last-Modified': new Date(object.updatedMs).toUTCString(),
    // A single-part upload's ETag is the hex MD5 of the content, on all three providers.
    ETag: xmlEtag(object),
    'Accept-Ranges': 'bytes',
  };
  if (object.cacheControl) headers['Cache-Control'] = object.cacheControl;
  if (object.contentEncoding) headers['Content-Encoding'] = object.contentEncoding;
  if (object.contentDisposition) headers['Content-Disposition'] = object.contentDisposition;
  for (const [key, value] of Object.entries(object.metadata ?? {})) headers[`x-amz-meta-${key}`] = value;
  if (checksumMode && object.writtenChecksum) {
    headers[checksumHeaderName(object.writtenChecksum.algorithm)] = object.writtenChecksum.value;
    headers['x-amz-checksum-type'] = 'FULL_OBJECT';
  }
  return headers;
}

/** `x-amz-meta-NAME: value` request headers → `{ name: value }` (names lowercased, as S3 stores them). */
export function amzMetadata(headers: ReadonlyArray<readonly [string, string]>): Record<string, string> | undefined {
  const metadata: Record<string, string> = {};
  for (const [name, value] of headers) {
    const lower = name.toLowerCase();
    if (lower.startsWith('x-amz-meta-')) metadata[lower.slice('x-amz-meta-'.length)] = value;
  }
  return Object.keys(metadata).length === 0 ? undefined : metadata;
}

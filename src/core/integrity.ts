/**
 * Whether the body is the object the store holds, by the checksum the store sends: GCS's
 * `x-goog-hash: crc32c=...`; on S3-compatible stores `x-amz-checksum-crc32c` when the object was
 * written with one, else the MD5 that a single-part object's ETag is. A checksum that cannot
 * vouch for the whole body (a multipart ETag, a composite checksum, an ETag of an encrypted
 * object) is not checked rather than reported as a mismatch.
 */
import { inspectCanaryBody, type CappedBody, type ContentVerdict } from './canary';
import { crc32c, decodeCrc32c } from './crc32c';
import { md5Hex } from './md5';
import type { Provider } from './origins';

const SINGLE_PART_ETAG = /^"([0-9a-fA-F]{32})"$/;

/** inspectCanaryBody with the checksum this provider sends. */
export function inspectStoreBody(body: CappedBody, headers: Headers, provider: Provider): ContentVerdict {
  if (provider === 'gcs' || body.truncated) return inspectCanaryBody(body, headers.get('x-goog-hash'));
  const problem = s3IntegrityProblem(body.bytes, headers);
  if (problem) return { ok: false, reason: 'integrity_mismatch', detail: problem };
  return inspectCanaryBody(body, null);
}

/** What is wrong with the body by the store's checksum headers; null when it matches or nothing can be checked. */
export function s3IntegrityProblem(bytes: Uint8Array, headers: Headers): string | null {
  const checksum = headers.get('x-amz-checksum-crc32c');
  const composite = (headers.get('x-amz-checksum-type') ?? '').trim().toUpperCase() === 'COMPOSITE';
  // A composite checksum ("...==-3") is a checksum of the parts' checksums, not of the body.
  if (checksum !== null && !composite && !/-\d+$/.test(checksum.trim())) {
    const expected = decodeCrc32c(checksum.trim());
    if (expected === null) return `x-amz-checksum-crc32c "${printable(checksum)}" is not 4 bytes of base64`;
    const actual = crc32c(bytes);
    return actual === expected ? null : `crc32c ${hex(actual)} != x-amz-checksum-crc32c ${hex(expected)}`;
  }
  const etag = SINGLE_PART_ETAG.exec((headers.get('etag') ?? '').trim());
  if (!etag || isEncryptedEtag(headers)) return null;
  const actual = md5Hex(bytes);
  const expected = etag[1]!.toLowerCase();
  return actual === expected ? null : `md5 ${actual} != ETag ${expected}`;
}

/** With SSE-KMS or SSE-C, S3's ETag is not the MD5 of the body. */
function isEncryptedEtag(headers: Headers): boolean {
  const sse = (headers.get('x-amz-server-side-encryption') ?? '').toLowerCase();
  return sse.startsWith('aws:kms') || headers.has('x-amz-server-side-encryption-customer-algorithm');
}

function printable(value: string): string {
  return value.replace(/[^\x20-\x7e]/g, '?').slice(0, 32);
}

function hex(n: number): string {
  return n.toString(16).padStart(8, '0');
}

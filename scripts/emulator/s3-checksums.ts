/** The `x-amz-checksum-*` algorithms S3 clients send, computed here to check what they declared. */
import { createHash } from 'node:crypto';
import { crc32Base64, crc32cBase64 } from './crc32c';
import type { WrittenChecksum } from './store';

type Algorithm = WrittenChecksum['algorithm'];

const COMPUTE: Record<Algorithm, (data: Buffer) => string> = {
  CRC32: crc32Base64,
  CRC32C: crc32cBase64,
  SHA1: (data) => createHash('sha1').update(data).digest('base64'),
  SHA256: (data) => createHash('sha256').update(data).digest('base64'),
};

const HEADER_PREFIX = 'x-amz-checksum-';

/** `x-amz-checksum-crc32c` → `CRC32C`; unknown algorithms (CRC64NVME, typos) → null. */
export function algorithmOfHeader(name: string): Algorithm | null {
  const lower = name.toLowerCase();
  if (!lower.startsWith(HEADER_PREFIX)) return null;
  const algorithm = lower.slice(HEADER_PREFIX.length).toUpperCase();
  return algorithm in COMPUTE ? (algorithm as Algorithm) : null;
}

export function checksumHeaderName(algorithm: Algorithm): string {
  return `${HEADER_PREFIX}${algorithm.toLowerCase()}`;
}

export function computeChecksum(algorithm: Algorithm, data: Buffer): string {
  return COMPUTE[algorithm](data);
}

/** Names of `x-amz-checksum-*` headers that carry a value (not `x-amz-checksum-mode` or `-type`). */
export function isChecksumValueHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return lower.startsWith(HEADER_PREFIX) && lower !== 'x-amz-checksum-mode' && lower !== 'x-amz-checksum-type' && lower !== 'x-amz-checksum-algorithm';
}

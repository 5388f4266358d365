/** CRC32C (Castagnoli), the checksum GCS reports in `crc32c` and `x-goog-hash`, and CRC32 (IEEE), the AWS SDK's default. */
// Kept apart from src/core/crc32c on purpose: the emulator stays independent of src/core, so a bug cannot hide on both sides.

const CASTAGNOLI_REVERSED = 0x82f63b78;
const IEEE_REVERSED = 0xedb88320;

/** A reflected 32-bit CRC (init and final XOR 0xffffffff) for the given reversed polynomial. */
function reflectedCrc32(polynomial: number): (data: Uint8Array) => number {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ polynomial : c >>> 1;
    table[n] = c >>> 0;
  }
  return (data) => {
    let crc = 0xffffffff;
    for (const byte of data) crc = table[(crc ^ byte) & 0xff] ^ (crc >>> 8);
    return (crc ^ 0xffffffff) >>> 0;
  };
}

export const crc32c = reflectedCrc32(CASTAGNOLI_REVERSED);
export const crc32 = reflectedCrc32(IEEE_REVERSED);

/** Base64 of the big-endian 4-byte checksum, the form GCS and S3 use on the wire. */
function base64Of(checksum: number): string {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(checksum);
  return bytes.toString('base64');
}

export function crc32cBase64(data: Uint8Array): string {
  return base64Of(crc32c(data));
}

export function crc32Base64(data: Uint8Array): string {
  return base64Of(crc32(data));
}

/** CRC32C (Castagnoli), the checksum GCS reports in `crc32c` and `x-goog-hash`. */
// Kept apart from src/core/crc32c on purpose: the emulator stays independent of src/core, so a bug cannot hide on both sides.

const CASTAGNOLI_REVERSED = 0x82f63b78;

const TABLE = ((): Uint32Array => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ CASTAGNOLI_REVERSED : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32c(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of data) crc = TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** Base64 of the big-endian 4-byte checksum, the form GCS uses on the wire. */
export function crc32cBase64(data: Uint8Array): string {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(crc32c(data));
  return bytes.toString('base64');
}

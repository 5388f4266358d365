/** CRC32C (Castagnoli), the checksum GCS reports in `x-goog-hash: crc32c=<base64 big-endian>`. */

const TABLE = buildTable(0x82f63b78);

function buildTable(polynomial: number): Uint32Array {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ polynomial : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

export function crc32c(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = TABLE[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** What an `x-goog-hash` header says about crc32c: nothing, a usable value, or a value that cannot be decoded. */
export type GoogHashCrc32c =
  | { kind: 'absent' }
  | { kind: 'present'; crc: number }
  | { kind: 'malformed'; value: string };

/**
 * Extracts the crc32c value from an `x-goog-hash` header (it may hold md5 too, comma separated).
 * A crc32c entry that is not 4 bytes of base64 is reported as malformed rather than absent: a
 * damaged checksum must not pass as "no checksum sent", or the integrity check is skipped silently.
 */
export function crc32cFromGoogHash(header: string | null): GoogHashCrc32c {
  if (!header) return { kind: 'absent' };
  for (const part of header.split(',')) {
    const [name, value] = splitOnce(part.trim(), '=');
    if (name.trim().toLowerCase() !== 'crc32c') continue;
    const crc = decodeCrc32c(value.trim());
    return crc === null ? { kind: 'malformed', value } : { kind: 'present', crc };
  }
  return { kind: 'absent' };
}

/** A CRC32C as GCS and S3 send it: base64 of 4 big-endian bytes; null when it is not that. */
export function decodeCrc32c(base64: string): number | null {
  const bytes = decodeBase64(base64);
  if (!bytes || bytes.length !== 4) return null;
  return ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
}

function splitOnce(text: string, separator: string): [string, string] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at + 1)];
}

function decodeBase64(value: string): Uint8Array | null {
  if (value === '') return null;
  try {
    const binary = atob(value);
    return Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
  } catch {
    return null;
  }
}

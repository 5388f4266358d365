/** Hashing and HMAC over crypto.subtle, the one crypto API both Compute and Node provide. */

export type HashName = 'SHA-1' | 'SHA-256';
export type KeyMaterial = string | Uint8Array<ArrayBuffer>;

const utf8 = new TextEncoder();

function bytesOf(value: KeyMaterial): Uint8Array<ArrayBuffer> {
  return typeof value === 'string' ? utf8.encode(value) : value;
}

export async function hmac(hash: HashName, key: KeyMaterial, data: string): Promise<Uint8Array<ArrayBuffer>> {
  const cryptoKey = await crypto.subtle.importKey('raw', bytesOf(key), { name: 'HMAC', hash }, false, ['sign']);
  return new Uint8Array(await crypto.subtle.sign('HMAC', cryptoKey, utf8.encode(data)));
}

export async function sha256Hex(data: string): Promise<string> {
  return toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', utf8.encode(data))));
}

export function toHex(bytes: Uint8Array): string {
  let hex = '';
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

import { hmac, toHex } from './sign/hmac';
import type { Credential } from './types';

const FINGERPRINT_MESSAGE = 'edge-canary-fingerprint';

/** First 4 and last 4 characters; ids too short to mask safely are hidden entirely. */
export function maskAccessId(accessId: string): string {
  if (accessId.length < 12) return '…';
  return `${accessId.slice(0, 4)}…${accessId.slice(-4)}`;
}

/**
 * First 12 hex digits of HMAC-SHA256(secret, "edge-canary-fingerprint"): lets an operator compare
 * the deployed secret with the intended one without revealing either.
 */
export async function fingerprintSecret(secret: string): Promise<string> {
  return toHex(await hmac('SHA-256', secret, FINGERPRINT_MESSAGE)).slice(0, 12);
}

export async function describeCredential(accessId: string, secret: string): Promise<Credential> {
  return { accessId: maskAccessId(accessId), fingerprint: await fingerprintSecret(secret) };
}

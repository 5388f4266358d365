/** Node socket errors, translated into the two transport failures the core distinguishes. */

import { BackendError } from '../core/types';

const CONNECT_FAILURES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed while sending',
  ENOTFOUND: 'host name not found',
  EAI_AGAIN: 'host name lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EADDRNOTAVAIL: 'address not available',
  HPE_INVALID_CONSTANT: 'not an HTTP response',
};

export function transportError(where: string, error: unknown): BackendError {
  if (error instanceof BackendError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const firstLine = (error instanceof Error ? error.message : String(error)).split('\n')[0];
  if (code === 'ETIMEDOUT') {
    return new BackendError('timeout', `${where}: connection timed out (ETIMEDOUT)`, { cause: error });
  }
  const description = (code !== undefined && CONNECT_FAILURES[code]) || (isTlsFailure(code) ? 'TLS handshake failed' : firstLine);
  return new BackendError('connect_failed', `${where}: ${description}${code ? ` (${code})` : ''}`, { cause: error });
}

function isTlsFailure(code: string | undefined): boolean {
  if (code === undefined) return false;
  return code.startsWith('ERR_TLS_') || code.startsWith('ERR_SSL_') || code.includes('CERT') || code.includes('SELF_SIGNED');
}

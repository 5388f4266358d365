/**
 * `--secret-stdin`: the credential exactly as it will sit in the Secret Store. The store keeps
 * bytes as given, and `echo "$SECRET" | fastly secret-store-entry create --stdin` stores the
 * trailing newline too, so the bucket rejects the signature. Trimming here would hide that
 * mistake; the verifier signs with the bytes as read and names the newline when there is one.
 */
import { UsageError } from '../../src/node/cli-kit';

export interface StdinCredential {
  accessId: string;
  secret: string;
  /** One line per suspicious byte at the secret's ends, to print on stderr. */
  warnings: string[];
}

/**
 * With `accessIdFromEnv` set, all of stdin is the secret. Otherwise stdin is "<access id>\n<secret>":
 * the first line (a CR before its newline dropped) is the access id, everything after it the secret.
 */
export function parseStdinCredential(text: string, accessIdFromEnv: string | null): StdinCredential {
  if (text === '') throw new UsageError('--secret-stdin: stdin is empty; send "<access id>\\n<secret>", or just the secret with CANARY_HMAC_ACCESS_ID set');
  let accessId: string;
  let secret: string;
  if (accessIdFromEnv !== null) {
    accessId = accessIdFromEnv;
    secret = text;
  } else {
    const newline = text.indexOf('\n');
    if (newline < 0) {
      throw new UsageError('--secret-stdin got one line: send "<access id>\\n<secret>", or set CANARY_HMAC_ACCESS_ID and send just the secret');
    }
    accessId = text.slice(0, newline).replace(/\r$/, '');
    secret = text.slice(newline + 1);
  }
  if (accessId.trim() === '') throw new UsageError('--secret-stdin: the access id (first line) is empty');
  if (secret === '') throw new UsageError('--secret-stdin: the secret is empty');
  return { accessId, secret, warnings: edgeWarnings(secret) };
}

function edgeWarnings(secret: string): string[] {
  const trailing = /(\r?\n)+$/.exec(secret)?.[0];
  const warnings: string[] = [];
  if (trailing !== undefined) {
    const what = trailing.includes('\r') ? 'a CR LF line ending' : trailing.length > 1 ? `${trailing.length} newlines` : 'a newline';
    warnings.push(
      `the secret from stdin ends with ${what}, and is used with it, as the Secret Store would keep it. ` +
        'If the bucket answers SignatureDoesNotMatch, that is why: store and pipe the secret without it ' +
        `(printf '%s' "$SECRET" | fastly secret-store-entry create --stdin ...)`,
    );
  } else if (/^\s|\s$/.test(secret)) {
    warnings.push('the secret from stdin starts or ends with whitespace, and is used with it, as the Secret Store would keep it');
  }
  return warnings;
}

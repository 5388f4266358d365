/**
 * The HMAC credential from the Secret Store: read it, describe it without revealing it, and keep it
 * out of every message the public /health may show.
 */
import { describeCredential } from './credential';
import { lastValueCache } from './last-value';
import type { Credentials } from './probe';
import { SECRET_ACCESS_ID, SECRET_SECRET, SECRET_STORE, StoreMissingError, type Credential, type Platform } from './types';

type ReadCredentials = ({ ok: true; credentials: Credentials } | { ok: false; errors: string[] }) & {
  /** Whatever was read, so error messages can be kept free of it. */
  values: string[];
};

export interface SecretNames {
  accessId: string;
  secret: string;
}

const FLAT_SECRETS: SecretNames = { accessId: SECRET_ACCESS_ID, secret: SECRET_SECRET };

/**
 * Two reads: the access id and the secret named by `names` (the flat hmac_access_id/hmac_secret by
 * default). `usedBy` says in each message which origin needs them, when there are several.
 */
export async function readCredentials(platform: Platform, names: SecretNames = FLAT_SECRETS, usedBy = ''): Promise<ReadCredentials> {
  let accessId: string | null;
  let secret: string | null;
  try {
    accessId = await platform.readSecret(names.accessId);
    secret = await platform.readSecret(names.secret);
  } catch (error) {
    if (error instanceof StoreMissingError) return { ok: false, errors: [`secret store ${SECRET_STORE}: not found (link it to this service)`], values: [] };
    throw error;
  }
  const values = [accessId, secret].filter((value): value is string => value !== null);
  const errors: string[] = [];
  for (const [name, value] of [[names.accessId, accessId], [names.secret, secret]] as const) {
    if (value === null) errors.push(`${name}: missing from secret store ${SECRET_STORE}${usedBy}`);
    else if (value.trim() === '') errors.push(`${name}: is empty in secret store ${SECRET_STORE}${usedBy}`);
  }
  if (errors.length > 0 || accessId === null || secret === null) return { ok: false, errors, values };
  // Used byte for byte, like production uses it: a stray newline must break the canary too.
  return { ok: true, credentials: { accessId, secret }, values };
}

const CREDENTIAL_WINDOW = 8;

/**
 * A credential pasted into the wrong config key would otherwise be echoed by the public /health
 * (config messages quote the bad value, possibly cut short): every run of characters that shares
 * CREDENTIAL_WINDOW or more consecutive characters with a credential is replaced.
 */
export function hideCredentials(message: string, credentials: readonly string[]): string {
  let hidden = message;
  for (const credential of credentials) {
    const covered = new Array<boolean>(hidden.length).fill(false);
    for (let i = 0; i + CREDENTIAL_WINDOW <= credential.length; i++) {
      const piece = credential.slice(i, i + CREDENTIAL_WINDOW);
      for (let at = hidden.indexOf(piece); at !== -1; at = hidden.indexOf(piece, at + 1)) covered.fill(true, at, at + CREDENTIAL_WINDOW);
    }
    hidden = hidden.replace(/[\s\S]/g, (char, index: number) => (!covered[index] ? char : covered[index - 1] ? '' : '[credential hidden]'));
  }
  return hidden;
}

const fingerprintOf = lastValueCache(async (material) => {
  const { accessId, secret } = JSON.parse(material) as Credentials;
  return describeCredential(accessId, secret);
});

export function describeCredentialOnce(credentials: Credentials): Promise<Credential> {
  return fingerprintOf(JSON.stringify({ accessId: credentials.accessId, secret: credentials.secret }));
}

/** Compares the credential just verified with the one a deployed canary reports in its /health. */
import type { Credential } from '../../src/core/types';

export interface Comparison {
  matches: boolean | null;
  deployed: Credential | null;
  line: string;
}

export async function compareWithDeployed(healthUrl: string, local: Credential): Promise<Comparison> {
  let deployed: Credential | null = null;
  try {
    const response = await fetch(healthUrl, { headers: { accept: 'application/health+json' }, signal: AbortSignal.timeout(10_000) });
    const body = (await response.json()) as { credential?: Credential };
    deployed = body.credential ?? null;
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return { matches: null, deployed: null, line: `compare: could not read ${healthUrl}: ${why}` };
  }
  if (!deployed) return { matches: null, deployed, line: `compare: ${healthUrl} reports no credential (signing=none or misconfigured)` };
  const matches = deployed.fingerprint === local.fingerprint && deployed.accessId === local.accessId;
  const line = matches
    ? `compare: MATCH, ${healthUrl} uses ${deployed.accessId} fingerprint ${deployed.fingerprint}`
    : `compare: DIFFERENT, ${healthUrl} uses ${deployed.accessId} fingerprint ${deployed.fingerprint}, you verified ${local.accessId} fingerprint ${local.fingerprint}`;
  return { matches, deployed, line };
}

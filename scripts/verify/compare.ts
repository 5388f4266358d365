/** Compares the credentials just verified with those a deployed canary reports in its /health. */
import type { Credential } from '../../src/core/types';

export interface Comparison {
  matches: boolean | null;
  deployed: Credential | null;
  line: string;
}

interface DeployedHealth {
  credential?: Credential;
  /** The origins form: each origin's credential by target (null with signing none). */
  credentials?: Record<string, Credential | null>;
}

type Read = { ok: true; body: DeployedHealth } | { ok: false; line: string };

async function readDeployed(healthUrl: string): Promise<Read> {
  try {
    const response = await fetch(healthUrl, { headers: { accept: 'application/health+json' }, signal: AbortSignal.timeout(10_000) });
    return { ok: true, body: (await response.json()) as DeployedHealth };
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return { ok: false, line: `could not read ${healthUrl}: ${why}` };
  }
}

function compareOne(healthUrl: string, local: Credential, deployed: Credential): Comparison {
  const matches = deployed.fingerprint === local.fingerprint && deployed.accessId === local.accessId;
  const line = matches
    ? `MATCH, ${healthUrl} uses ${deployed.accessId} fingerprint ${deployed.fingerprint}`
    : `DIFFERENT, ${healthUrl} uses ${deployed.accessId} fingerprint ${deployed.fingerprint}, you verified ${local.accessId} fingerprint ${local.fingerprint}`;
  return { matches, deployed, line };
}

export async function compareWithDeployed(healthUrl: string, local: Credential): Promise<Comparison> {
  const read = await readDeployed(healthUrl);
  if (!read.ok) return { matches: null, deployed: null, line: `compare: ${read.line}` };
  const deployed = read.body.credential ?? null;
  if (!deployed) return { matches: null, deployed, line: `compare: ${healthUrl} reports no credential (signing=none or misconfigured)` };
  const comparison = compareOne(healthUrl, local, deployed);
  return { ...comparison, line: `compare: ${comparison.line}` };
}

/** One comparison per verified origin, against the deployed canary's credential for the same target. */
export async function compareTargetsWithDeployed(healthUrl: string, local: ReadonlyMap<string, Credential>): Promise<Map<string, Comparison>> {
  const read = await readDeployed(healthUrl);
  const comparisons = new Map<string, Comparison>();
  for (const [target, credential] of local) {
    const prefix = `compare ${target}:`;
    if (!read.ok) {
      comparisons.set(target, { matches: null, deployed: null, line: `${prefix} ${read.line}` });
      continue;
    }
    const deployed = read.body.credentials?.[target] ?? null;
    if (!deployed) {
      const why = read.body.credentials === undefined ? 'lists no credential per origin (it runs the flat keys, or is misconfigured)' : `reports no credential for ${target}`;
      comparisons.set(target, { matches: null, deployed: null, line: `${prefix} ${healthUrl} ${why}` });
      continue;
    }
    const comparison = compareOne(healthUrl, credential, deployed);
    comparisons.set(target, { ...comparison, line: `${prefix} ${comparison.line}` });
  }
  return comparisons;
}

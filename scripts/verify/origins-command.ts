/**
 * The origins form of `npm run verify`: every selected origin checked, printed, and compared with a
 * deployed canary when asked. Exit 0 when every origin passed or warned (and every comparison
 * matched), 1 for a configuration the service would refuse, 2 when any origin failed or differed.
 */
import type { Credential } from '../../src/core/types';
import { compareTargetsWithDeployed } from './compare';
import { verifyOrigins } from './origins-check';
import type { OriginsVerifyOptions } from './origins-options';
import { originsJson, overallStatus, renderOriginsText } from './origins-output';

export interface Output {
  stdout(text: string): void;
  stderr(text: string): void;
}

export async function runOriginsVerify(options: OriginsVerifyOptions, out: Output, prefix: string): Promise<number> {
  const outcome = await verifyOrigins(options);
  if (!outcome.ok) {
    out.stderr(`${prefix} ${outcome.errors.join('\n  ')}\n`);
    return 1;
  }
  const { verdicts, checkedAt } = outcome;
  const signed = new Map<string, Credential>();
  for (const { origin, credential } of verdicts) if (credential) signed.set(origin.target, credential);
  const comparisons = options.compareHealth === null ? null : await compareTargetsWithDeployed(options.compareHealth, signed);
  if (options.json) {
    const comparison = comparisons ? { comparison: Object.fromEntries([...comparisons].map(([target, { matches, deployed }]) => [target, { matches, deployed }])) } : {};
    out.stdout(`${JSON.stringify({ ...originsJson(verdicts, checkedAt), ...comparison })}\n`);
  } else {
    out.stdout(renderOriginsText(verdicts, checkedAt));
    for (const { line } of comparisons?.values() ?? []) out.stdout(`${line}\n`);
  }
  const failed = verdicts.filter((verdict) => verdict.status === 'fail').map((verdict) => verdict.origin.target);
  if (failed.length > 0) out.stderr(`${prefix} ${failed.join(', ')} failed: exit 2\n`);
  // A comparison that was asked for and could not be made is no proof: it fails like a mismatch.
  const unproven = [...(comparisons?.entries() ?? [])].filter(([, { matches }]) => matches !== true).map(([target]) => target);
  if (unproven.length > 0) out.stderr(`${prefix} the deployed canary's credential differs or is unknown for ${unproven.join(', ')}: exit 2\n`);
  return overallStatus(verdicts) === 'fail' || unproven.length > 0 ? 2 : 0;
}

/**
 * `GET /health?scope=shield`, the fleet check's inner request as a shield receives it: answered
 * with this POP's own check (its normal memo) only when the signed header verifies, names this
 * POP's shield and was signed for this very path. It never fans out, whatever it carries.
 */
import { runHealthCheck } from '../check';
import type { Platform, Report } from '../types';
import { readFleetKey, readShields } from './fleet-settings';
import { verifyInnerHeader } from './inner-header';

export type ShieldAnswerResult = { ok: true; report: Report } | { ok: false; problem: string };

/** `path` is the path and query as received; `header` the fleet header's value, if any. */
export async function answerAsShield(platform: Platform, path: string, header: string | null): Promise<ShieldAnswerResult> {
  const errors: string[] = [];
  const key = await readFleetKey(platform, errors);
  if (key === null) return refuse(platform, `this POP cannot verify the fleet check: ${errors.join('; ')}`);
  const verdict = await verifyInnerHeader(key, header, { path, nowMs: platform.now(), notThisShield: (shield) => notThisShield(platform, shield) });
  if (!verdict.ok) return refuse(platform, verdict.problem);
  return { ok: true, report: await runHealthCheck(platform) };
}

function notThisShield(platform: Platform, shield: string): string | null {
  const errors: string[] = [];
  const shields = readShields(platform, errors);
  if (shields === null) return `this POP's shields configuration is unusable: ${errors.join('; ')}`;
  const listed = shields.find((candidate) => candidate.code === shield);
  if (!listed) return `${shield} is not in this POP's shields (${shields.map((s) => s.code).join(', ')})`;
  if (!listed.runningOn) return `this POP (${platform.pop()}) is not shield ${shield}: Shield.runningOn() is false here`;
  return null;
}

function refuse(platform: Platform, problem: string): ShieldAnswerResult {
  platform.log({ msg: 'Fleet inner request refused', problem, pop: platform.pop() });
  return { ok: false, problem };
}

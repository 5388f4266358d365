/**
 * `GET /health?scope=shield`, the fleet check's inner request as a shield receives it: answered
 * with this POP's own check only when the signed header verifies, names this POP's shield and was
 * signed for this very path. It never fans out, whatever it carries. A refusal tells the caller
 * nothing about this POP's configuration (only "refused"); the reason goes to the log.
 *
 * The shield does not require its code in its own `shields`: Config Store changes reach POPs at
 * different times, and the signature already proves the edge listed it; `runningOn` proves this
 * POP is that shield.
 */
import { checkWithSettings } from '../check';
import { loadSettings } from '../load-settings';
import type { Platform, Report } from '../types';
import { readFleetKey } from './fleet-settings';
import { INNER_STATUS_NOTE_PREFIX, innerSettings } from './inner-deadline';
import { verifyInnerHeader } from './inner-header';
import { logRefusal, type RefusalKind } from './refusal-log';

export type ShieldAnswerResult = { ok: true; report: Report } | { ok: false };

/** `path` is the path and query as received; `header` the fleet header's value, if any. */
export async function answerAsShield(platform: Platform, path: string, header: string | null): Promise<ShieldAnswerResult> {
  const errors: string[] = [];
  const key = await readFleetKey(platform, errors);
  if (key === null) return refuse(platform, 'cannot_verify', `this POP cannot verify the fleet check: ${errors.join('; ')}`);
  const verdict = await verifyInnerHeader(key, header, { path, nowMs: platform.now(), notThisShield: (shield) => notThisShield(platform, shield) });
  if (!verdict.ok) return refuse(platform, verdict.kind, verdict.problem);
  return { ok: true, report: await runInnerCheck(platform) };
}

/** This POP's own check, bounded to a share of deadline_ms (inner-deadline.ts says why). */
async function runInnerCheck(platform: Platform): Promise<Report> {
  const started = platform.now();
  const loaded = await loadSettings(platform);
  return checkWithSettings(platform, loaded.ok ? { ok: true, settings: innerSettings(loaded.settings) } : loaded, started, INNER_STATUS_NOTE_PREFIX);
}

function notThisShield(platform: Platform, shield: string): string | null {
  const site = platform.shield(shield);
  if (site === null) return `${shield} is not a shield this runtime knows`;
  if (!site.runningOn) return `this POP (${platform.pop()}) is not shield ${shield}: Shield.runningOn() is false here`;
  return null;
}

async function refuse(platform: Platform, kind: RefusalKind, problem: string): Promise<ShieldAnswerResult> {
  await logRefusal(platform, kind, problem);
  return { ok: false };
}

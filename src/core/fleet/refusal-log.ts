/**
 * The log line of a refused inner request, at most one per kind of refusal per window at a POP: a
 * client hammering `scope=shield` must not flood the log (each line is billed and buried the real
 * ones). The window lives in the POP's note memory (SimpleCache on Fastly), since a Compute
 * instance does not outlive its request; when that memory fails, the line is logged.
 */
import type { Platform } from '../types';

export const REFUSAL_LOG_WINDOW_SECONDS = 60;
const NOTE_PREFIX = 'edge-canary/v1/refusal-logged/';

/** What went wrong, coarsely: one log line per kind per window. */
export type RefusalKind = 'cannot_verify' | 'no_header' | 'malformed' | 'time' | 'signature' | 'not_this_shield';

export async function logRefusal(platform: Platform, kind: RefusalKind, problem: string): Promise<void> {
  if (!(await firstInWindow(platform, kind))) return;
  platform.log({
    msg: 'Fleet inner request refused', kind, problem, pop: platform.pop(),
    note: `further refusals of kind ${kind} at this POP are not logged for ${REFUSAL_LOG_WINDOW_SECONDS} s`,
  });
}

async function firstInWindow(platform: Platform, kind: RefusalKind): Promise<boolean> {
  const mine = `${platform.now()}-${Math.random().toString(36).slice(2)}`;
  try {
    return (await platform.noteOnce(`${NOTE_PREFIX}${kind}`, mine, REFUSAL_LOG_WINDOW_SECONDS)) === mine;
  } catch {
    return true;
  }
}

/**
 * The deadline of a shield's own check when the fleet check asks for it. The edge gives up on the
 * whole hop at deadline_ms; a shield whose bucket hangs and that also waited the full deadline_ms
 * would be cut off before its own `timeout` report (naming its POP) could travel back, and look
 * just like an unreachable shield. So the inner check ends at 80 % of deadline_ms, leaving the rest
 * for the way back.
 *
 * That check is not shared with the POP's plain /health: its settings differ (the memo key is a
 * digest of them), its report says the deadline it ran with (`settings.deadlineMs`), and its status
 * memory is kept apart, so a bucket that answers between the two deadlines never flips the plain
 * view's "since".
 */
import type { Settings } from '../load-settings';

export const INNER_DEADLINE_SHARE = 0.8;
export const INNER_STATUS_NOTE_PREFIX = 'edge-canary/v2/shield-status-since/';

export function innerDeadlineMs(deadlineMs: number): number {
  return Math.max(1, Math.floor(deadlineMs * INNER_DEADLINE_SHARE));
}

export function innerSettings(settings: Settings): Settings {
  return { ...settings, config: { ...settings.config, deadlineMs: innerDeadlineMs(settings.config.deadlineMs) } };
}

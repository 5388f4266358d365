/**
 * The sync respects people: it is edge-triggered. It writes the component when the confirmed status
 * differs from the one it confirmed before (the canaries saw something change), or when the
 * component still shows what the sync itself last wrote (nobody has touched it since). A status an
 * incident commander set by hand stays until the canaries' status changes.
 */
import type { StatuspageStatus } from '../../src/core/types';
import type { ComponentStatus } from './decide';

/** What the sync remembers between steps (and, with --state, between runs). */
export interface SyncMemory {
  /** The last status the canaries confirmed; null before the first confirmation. */
  lastConfirmed: StatuspageStatus | null;
  /** The last status the sync wrote to the component; null when it never wrote one. */
  lastWritten: StatuspageStatus | null;
}

export const EMPTY_MEMORY: SyncMemory = { lastConfirmed: null, lastWritten: null };

export type Move = 'unchanged' | 'left_in_maintenance' | 'left_as_set' | 'write';

export function chooseMove(confirmed: StatuspageStatus, current: ComponentStatus, memory: SyncMemory): Move {
  if (current === confirmed) return 'unchanged';
  // Maintenance is announced by people or schedules; overwriting it would hide that announcement.
  if (current === 'under_maintenance') return 'left_in_maintenance';
  const observedChange = memory.lastConfirmed !== confirmed;
  const stillOurs = memory.lastWritten !== null && current === memory.lastWritten;
  return observedChange || stillOurs ? 'write' : 'left_as_set';
}

/** The memory after a confirmed step: `wrote` when the PATCH was sent. */
export function remember(memory: SyncMemory, confirmed: StatuspageStatus, wrote: boolean): SyncMemory {
  return { lastConfirmed: confirmed, lastWritten: wrote ? confirmed : memory.lastWritten };
}

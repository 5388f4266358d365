/**
 * "Failing since 20:28 UTC": each POP keeps one small note per status, {since, previous}, in the
 * cache it already has (Platform.readNote / noteOnce / forgetNote: SimpleCache on Fastly). A key is
 * written once and never rewritten: Fastly's purge lands up to ~150 ms late and then removes a
 * value written after it too, so "purge, then store the same key" loses the new note. On a change
 * the new status's key is stored and the other statuses' keys are purged (a late purge there is
 * harmless); the newest note wins while a purge is still on its way. Best effort by design: an
 * eviction, the note's ttl, a new POP or a restarted Node host forgets, and the view then says that
 * no earlier status is remembered ("since at least") instead of inventing one.
 */
import { CHECK_STATUSES, type CheckStatus, type Platform, type StatusSince } from './types';

export const STATUS_NOTE_PREFIX = 'edge-canary/v2/status-since/';
/** How long a note lives after it was stored; a status held longer shows "since at least". */
export const STATUS_NOTE_TTL_SECONDS = 7 * 24 * 3600;


/** The fleet view's status is another status than this POP's own check: it keeps notes of its own. */
export const FLEET_STATUS_NOTE_PREFIX = 'edge-canary/v2/fleet-status-since/';

export const statusNoteKey = (status: CheckStatus, prefix = STATUS_NOTE_PREFIX): string => `${prefix}${status}`;

interface HeldStatus extends StatusSince {
  status: CheckStatus;
}

/**
 * Records that this POP saw `status` at `checkedAt` and answers since when it has seen it; null when
 * the platform's memory is unavailable (the check itself never fails because of it).
 */
export async function trackStatusSince(platform: Platform, status: CheckStatus, checkedAt: string, prefix = STATUS_NOTE_PREFIX): Promise<StatusSince | null> {
  const keyOf = (of: CheckStatus) => statusNoteKey(of, prefix);
  try {
    const held = await newestNote(platform, keyOf);
    if (held?.status === status) return { since: held.since, previous: held.previous };
    // The status changed at this POP (or nothing readable is remembered): it starts now.
    const fresh: StatusSince = { since: checkedAt, previous: held?.status ?? null };
    const stored = parseNote(await platform.noteOnce(keyOf(status), JSON.stringify(fresh), STATUS_NOTE_TTL_SECONDS));
    await Promise.all(CHECK_STATUSES.filter((other) => other !== status).map((other) => platform.forgetNote(keyOf(other))));
    if (stored === null || stored.since !== fresh.since || stored.previous !== fresh.previous) {
      // An older note of this status is still there (a purge not landed yet): this check says what it
      // saw, and the key is purged so a later change can store it.
      await platform.forgetNote(keyOf(status));
    }
    return fresh;
  } catch (error) {
    platform.log({ msg: 'Status memory unavailable', detail: error instanceof Error ? error.message.slice(0, 160) : 'unknown' });
    return null;
  }
}

/** The status this POP holds: the newest readable note (an older one is a purge still on its way). */
async function newestNote(platform: Platform, keyOf: (status: CheckStatus) => string): Promise<HeldStatus | null> {
  const notes = await Promise.all(CHECK_STATUSES.map(async (status) => {
    const text = await platform.readNote(keyOf(status));
    const note = text === null ? null : parseNote(text);
    return note === null ? null : { status, ...note };
  }));
  let newest: HeldStatus | null = null;
  for (const note of notes) {
    if (note !== null && (newest === null || Date.parse(note.since) > Date.parse(newest.since))) newest = note;
  }
  return newest;
}

/** A note that cannot be read (an older format, a damaged entry) is as good as none. */
function parseNote(text: string): StatusSince | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const note = value as Record<string, unknown>;
  const isStatus = (v: unknown): v is CheckStatus => CHECK_STATUSES.includes(v as CheckStatus);
  if (typeof note.since !== 'string' || Number.isNaN(Date.parse(note.since))) return null;
  if (note.previous !== null && !isStatus(note.previous)) return null;
  return { since: note.since, previous: note.previous };
}

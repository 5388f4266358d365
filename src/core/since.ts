/**
 * "Failing since 20:28 UTC": each POP keeps one small note, {status, since, previous}, in the cache it
 * already has (Platform.noteOnce / forgetNote: SimpleCache on Fastly). The note changes only when
 * the status does, so reading it costs one cache lookup per check. Best effort by design: an
 * eviction, a new POP or a restarted Node host forgets, and the view then says that no earlier
 * status is remembered instead of inventing one.
 */
import type { CheckStatus, Platform, StatusSince } from './types';

export const STATUS_NOTE_KEY = 'edge-canary/v1/status-since';
/** How long a note outlives the last check that wrote it. */
export const STATUS_NOTE_TTL_SECONDS = 24 * 3600;
/** A note older than this is written again (same since), so a long quiet spell never lets it expire. */
export const STATUS_NOTE_REFRESH_MS = 3600 * 1000;

interface StatusNote {
  status: CheckStatus;
  since: string;
  previous: CheckStatus | null;
  /** When the note was last written; drives the refresh. */
  notedAt: string;
}

const STATUSES: readonly CheckStatus[] = ['pass', 'warn', 'fail'];

/**
 * Records that this POP saw `status` at `checkedAt` and answers since when it has seen it; null when
 * the platform's memory is unavailable (the check itself never fails because of it).
 */
export async function trackStatusSince(platform: Platform, status: CheckStatus, checkedAt: string): Promise<StatusSince | null> {
  const fresh: StatusNote = { status, since: checkedAt, previous: null, notedAt: checkedAt };
  try {
    const seen = parseNote(await platform.noteOnce(STATUS_NOTE_KEY, JSON.stringify(fresh), STATUS_NOTE_TTL_SECONDS));
    if (seen?.status === status) {
      if (Date.parse(checkedAt) - Date.parse(seen.notedAt) > STATUS_NOTE_REFRESH_MS) {
        await replaceNote(platform, { ...seen, notedAt: checkedAt });
      }
      return { since: seen.since, previous: seen.previous };
    }
    // The status changed at this POP (or the note was damaged): it starts now.
    const changed: StatusNote = { status, since: checkedAt, previous: seen?.status ?? null, notedAt: checkedAt };
    await replaceNote(platform, changed);
    return { since: changed.since, previous: changed.previous };
  } catch (error) {
    platform.log({ msg: 'Status memory unavailable', detail: error instanceof Error ? error.message.slice(0, 160) : 'unknown' });
    return null;
  }
}

/** A note that cannot be read (an older format, a damaged entry) is as good as none, and is replaced. */
function parseNote(text: string): StatusNote | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const note = value as Record<string, unknown>;
  const isStatus = (v: unknown): v is CheckStatus => STATUSES.includes(v as CheckStatus);
  if (!isStatus(note.status) || !isTime(note.since) || !isTime(note.notedAt)) return null;
  if (note.previous !== null && !isStatus(note.previous)) return null;
  return { status: note.status, since: note.since, previous: note.previous, notedAt: note.notedAt };
}

function isTime(value: unknown): value is string {
  return typeof value === 'string' && !Number.isNaN(Date.parse(value));
}

async function replaceNote(platform: Platform, note: StatusNote): Promise<void> {
  await platform.forgetNote(STATUS_NOTE_KEY);
  await platform.noteOnce(STATUS_NOTE_KEY, JSON.stringify(note), STATUS_NOTE_TTL_SECONDS);
}

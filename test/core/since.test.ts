import { describe, expect, it } from 'vitest';
import { runHealthCheck } from '../../src/core/check';
import { statusNoteKey, trackStatusSince } from '../../src/core/since';
import type { Platform } from '../../src/core/types';
import { createPopNotes } from '../../src/node/notes';
import { canaryBody, canaryResponse, fakePlatform, gcsError } from '../support/fake-platform';

const T0 = Date.parse('2026-11-26T20:28:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

/** A platform whose notes live on a clock the test moves. */
function notesPlatform() {
  let now = T0;
  const platform = fakePlatform({ now: () => now, origin: () => new Response('unused') });
  return { platform, notes: platform, setNow: (iso: string) => void (now = Date.parse(iso)) };
}

describe('trackStatusSince', () => {
  it('a first check is remembered as the start, with no earlier status', async () => {
    const { platform } = notesPlatform();
    expect(await trackStatusSince(platform, 'pass', at(0))).toEqual({ since: at(0), previous: null });
  });

  it('keeps the time of the change while the status holds, and starts again when it changes', async () => {
    const { platform, setNow } = notesPlatform();
    const seen = [];
    for (const [minute, status] of [[0, 'pass'], [5, 'pass'], [12, 'fail'], [20, 'fail'], [24, 'warn'], [30, 'pass'], [31, 'pass']] as const) {
      setNow(at(minute));
      seen.push(await trackStatusSince(platform, status, at(minute)));
    }
    expect(seen).toEqual([
      { since: at(0), previous: null },
      { since: at(0), previous: null },
      { since: at(12), previous: 'pass' },
      { since: at(12), previous: 'pass' },
      { since: at(24), previous: 'fail' },
      // Back to pass: the old pass note was replaced, so since is the return, not the first pass.
      { since: at(30), previous: 'warn' },
      { since: at(30), previous: 'warn' },
    ]);
  });

  it('never rewrites a note while its status holds, so a stable status keeps its original since', async () => {
    const { platform, setNow } = notesPlatform();
    await trackStatusSince(platform, 'pass', at(0));
    const later = at(3 * 24 * 60);
    setNow(later);
    expect(await trackStatusSince(platform, 'pass', later)).toEqual({ since: at(0), previous: null });
    expect(JSON.parse((await platform.readNote(statusNoteKey('pass'))) ?? 'null')).toEqual({ since: at(0), previous: null });
  });

  it('replaces a note it cannot read, and says it remembers no earlier status', async () => {
    const { platform, notes } = notesPlatform();
    await notes.noteOnce(statusNoteKey('fail'), '{"since":"sideways"}', 3600);
    expect(await trackStatusSince(platform, 'fail', at(1))).toEqual({ since: at(1), previous: null });
    expect(await trackStatusSince(platform, 'fail', at(2))).toEqual({ since: at(2), previous: null });
    expect(await trackStatusSince(platform, 'fail', at(3))).toEqual({ since: at(2), previous: null });
  });

  it('answers null, logs why, and never throws, when the platform cannot keep notes', async () => {
    const { platform } = notesPlatform();
    const failing: Platform = { ...platform, noteOnce: async () => { throw new Error('unsupported hostcall fastly_cache::transaction_lookup'); } };
    expect(await trackStatusSince(failing, 'fail', at(0))).toBeNull();
    expect(platform.logs).toEqual([{ msg: 'Status memory unavailable', detail: 'unsupported hostcall fastly_cache::transaction_lookup' }]);
  });
});

describe('trackStatusSince where a purge lands late (as on Fastly)', () => {
  /** Purges land 150 ms after they are asked for and then remove whatever the key holds. */
  function latePurgePlatform() {
    let now = Date.parse('2026-11-26T20:09:54.000Z');
    const platform = fakePlatform({ now: () => now, origin: () => new Response('unused'), notePurgeDelayMs: 150 });
    return { platform, setNow: (iso: string) => void (now = Date.parse(iso)) };
  }

  it('keeps since and previous across the checks after a change, and past an hour', async () => {
    const { platform, setNow } = latePurgePlatform();
    const seen = [];
    for (const [time, status] of [
      ['2026-11-26T20:09:54.000Z', 'pass'], ['2026-11-26T20:10:00.000Z', 'fail'],
      ['2026-11-26T20:10:06.000Z', 'fail'], ['2026-11-26T21:15:06.000Z', 'fail'],
      ['2026-11-26T21:15:12.000Z', 'pass'], ['2026-11-26T21:15:18.000Z', 'pass'],
    ] as const) {
      setNow(time);
      seen.push(await trackStatusSince(platform, status, time));
    }
    expect(seen).toEqual([
      { since: '2026-11-26T20:09:54.000Z', previous: null },
      { since: '2026-11-26T20:10:00.000Z', previous: 'pass' },
      { since: '2026-11-26T20:10:00.000Z', previous: 'pass' },
      { since: '2026-11-26T20:10:00.000Z', previous: 'pass' },
      { since: '2026-11-26T21:15:12.000Z', previous: 'fail' },
      { since: '2026-11-26T21:15:12.000Z', previous: 'fail' },
    ]);
  });
});

describe('createPopNotes (Node host)', () => {
  it('keeps the first value until it expires or is forgotten, with the ttl in whole seconds like SimpleCache', async () => {
    let now = 0;
    const notes = createPopNotes(() => now);
    expect(await notes.noteOnce('k', 'first', 2.9)).toBe('first');
    expect(await notes.noteOnce('k', 'second', 2.9)).toBe('first');
    now = 2000;
    expect(await notes.noteOnce('k', 'third', 2.9)).toBe('third');
    await notes.forgetNote('k');
    expect(await notes.noteOnce('k', 'fourth', 0.5)).toBe('fourth');
    // Under one second SimpleCache keeps nothing, so neither does the Node host.
    expect(await notes.noteOnce('k', 'fifth', 0.5)).toBe('fifth');
  });

  it('in late-purge mode, a purge lands after its delay and removes a value written before it lands', async () => {
    let now = 0;
    const notes = createPopNotes(() => now, { purgeDelayMs: 150 });
    await notes.noteOnce('k', 'old', 60);
    await notes.forgetNote('k');
    expect(await notes.noteOnce('k', 'new', 60)).toBe('old');
    now = 150;
    expect(await notes.readNote('k')).toBeNull();
    expect(await notes.noteOnce('k', 'newer', 60)).toBe('newer');
    expect(await notes.readNote('k')).toBe('newer');
  });
});

describe('runHealthCheck: since when', () => {
  it('a report says since when its POP sees its status, shared requests included', async () => {
    let now = T0;
    let failing = false;
    const platform = fakePlatform({
      now: () => now,
      config: { bucket: 'pkg-files', object: 'edge-canary/canary.json', result_ttl_ms: '5000', deadline_ms: '2000' },
      origin: () => (failing ? gcsError(403, 'SignatureDoesNotMatch') : canaryResponse(canaryBody(new Date(now - 5000)))),
    });
    expect((await runHealthCheck(platform)).since).toEqual({ since: at(0), previous: null });
    now = T0 + 6000;
    failing = true;
    const failed = await runHealthCheck(platform);
    expect(failed).toMatchObject({ status: 'fail', since: { since: new Date(T0 + 6000).toISOString(), previous: 'pass' } });
    now = T0 + 7000;
    expect(await runHealthCheck(platform)).toMatchObject({ shared: true, since: failed.since });
    now = T0 + 12 * 60_000;
    expect(await runHealthCheck(platform)).toMatchObject({ shared: false, since: failed.since });
  });

  it('a misconfigured canary has a since too', async () => {
    const platform = fakePlatform({ now: () => T0, config: { object: 'o' }, origin: () => new Response('unused') });
    expect(await runHealthCheck(platform)).toMatchObject({ reason: 'misconfigured', since: { since: at(0), previous: null } });
  });
});

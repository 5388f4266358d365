/** The demo's summary counts what the classic monitor saw during the outage; it never assumes it. */
import { describe, expect, it } from 'vitest';
import { fromArchive } from '../../scripts/demo/archive-scene';
import type { ClassicObservation } from '../../scripts/demo/monitors';
import { createNarrator, fromCache, INCIDENT_2022 } from '../../scripts/demo/narrate';
import type { IncidentResult } from '../../scripts/demo/scenario';

const seen = (at: number, fields: Partial<ClassicObservation>): ClassicObservation => ({ at, ok: true, httpStatus: 200, summary: '200', fromCache: false, restarted: false, ...fields });
const verdict = { firstFailure: null, detectionMs: null, outageObservations: 0, outageOk: 0, recoveryMs: null };

function result(classic: ClassicObservation[], rotatedAt: number | null = 10_000, restoredAt: number | null = 30_000): IncidentResult {
  return { rotatedAt, restoredAt, interrupted: false, classic: verdict, canary: verdict, observations: { classic, canary: [] } };
}

// Before the rotation and after the restore do not count; one answer in the outage failed.
const MIXED = [
  seen(5_000, { fromCache: false }),
  seen(11_000, { fromCache: true }),
  seen(12_000, { restarted: true }),
  seen(13_000, { restarted: true }),
  seen(14_000, { restarted: true, fromCache: true }),
  seen(15_000, {}),
  seen(16_000, { ok: false, httpStatus: 503, restarted: true }),
  seen(31_000, { restarted: true }),
];

describe('classicGreenBecause', () => {
  it('2022: counts the green answers from cache in the outage window', () => {
    expect(fromCache(result(MIXED))).toBe('answered 200, 2 of them from cache');
    expect(fromCache(result([seen(11_000, { fromCache: true }), seen(12_000, { fromCache: true })]))).toBe('answered 200 from cache');
  });

  it('2026: counts the green cache misses restarted onto the archive, and says how many were not', () => {
    expect(fromArchive(result(MIXED))).toBe('answered 200; 2 of them were cache misses the CDN restarted onto the archive, 3 were not restarted');
    expect(fromArchive(result([seen(12_000, { restarted: true })], 10_000, null))).toBe('answered 200; 1 of them were cache misses the CDN restarted onto the archive');
  });

  it('a run stopped before the rotation ends its summary with a newline, like every other summary', () => {
    expect(createNarrator(false, INCIDENT_2022).summary(result([], null, null))).toBe('Stopped before the key was rotated: nothing to compare.\n');
  });
});

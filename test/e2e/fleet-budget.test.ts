/**
 * The backend-request budget of a fleet check at its worst, on both runtimes: the most shields
 * the service allows, the most attempts, every read failing (so every attempt is made). The edge
 * sends its own attempts plus one request per shield, far under Compute's 32; the local Compute
 * host refuses a 33rd and says so, so on the wasm runtime the log proves it never happened.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MAX_FLEET_SHIELDS, startFleet } from '../../scripts/stack/fleet';
import type { Fleet } from '../../scripts/stack/fleet';
import { describeOnRuntimes } from '../support/runtimes';
import { objectReads } from '../support/stack';

const SHIELDS = Array.from({ length: MAX_FLEET_SHIELDS }, (_, index) => `shd${index + 1}-xx-us`);
const ATTEMPTS = 5;

describeOnRuntimes('the fleet check within the backend-request budget', (runtime) => {
  let fleet: Fleet;
  const logLines: string[] = [];

  beforeAll(async () => {
    fleet = await startFleet({
      runtime,
      shields: SHIELDS,
      canaryPort: 0,
      emulatorPort: 0,
      uploaderIntervalMs: 60_000,
      // Nothing hangs here, so the deadline only has to outlast nine sandboxes' five attempts on a busy machine: the service's default.
      config: { result_ttl_ms: '1000', deadline_ms: '8000', attempts: String(ATTEMPTS) },
      platform: { log: (fields) => logLines.push(JSON.stringify(fields)) },
    });
  }, 180_000);

  afterAll(() => fleet?.close());

  it(`${MAX_FLEET_SHIELDS} shields, ${ATTEMPTS} attempts, every read failing: every shield answers, no request refused`, async () => {
    fleet.stack.emulator.setFault({ type: 'status', status: 503 });
    const before = objectReads(fleet.stack).length;
    const response = await fetch(fleet.fleetUrl, { headers: { accept: 'application/health+json' } });
    const body = (await response.json()) as { statuspage: string; checks: Record<string, { pop: string | null; reason: string }[]> };

    expect(body.statuspage).toBe('major_outage');
    for (const code of SHIELDS) expect(body.checks[`shield:${code}`]?.[0]).toMatchObject({ pop: code });
    // Every site made every attempt: the edge's own 5 reads and 5 per shield; plus its 8 shield requests, 13 of 32.
    expect(objectReads(fleet.stack).length - before).toBe((SHIELDS.length + 1) * ATTEMPTS);
    expect(logLines.filter((line) => /refused|limitexceeded/.test(line))).toEqual([]);
  });
});

/**
 * Many `/health?scope=fleet` at once, each burst cold (no memoised fleet result): on Compute every
 * request has its own sandbox, so a burst never starves the shields' inner requests. The local
 * Compute host runs the edge and the shields in one worker pool; a burst larger than the workers it
 * keeps ready (the edge's sandboxes all waiting for the one collapsed fan-out), and one larger than
 * a single host's worker limit, must still pass everywhere.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEFAULT_WORKERS } from '../../scripts/compute-host';
import { startFleet } from '../../scripts/stack/fleet';
import type { Fleet } from '../../scripts/stack/fleet';
import { describeOnRuntimes } from '../support/runtimes';

const RESULT_TTL_MS = 1000;
/** Past the default worker count, and past one host's default limit (16). */
const BURSTS = [DEFAULT_WORKERS + 2, 20];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describeOnRuntimes('a burst of simultaneous cold fleet checks', (runtime) => {
  let fleet: Fleet;

  beforeAll(async () => {
    fleet = await startFleet({
      runtime,
      canaryPort: 0,
      emulatorPort: 0,
      uploaderIntervalMs: 60_000,
      config: { result_ttl_ms: String(RESULT_TTL_MS) },
      platform: { log: () => undefined },
    });
  }, 120_000);

  afterAll(() => fleet?.close());

  it.each(BURSTS)('%i fleet checks at once all pass, every shield answering', async (count) => {
    await sleep(RESULT_TTL_MS + 200); // the previous burst's fleet result and the shields' own have expired
    const answers = await Promise.all(
      Array.from({ length: count }, async (_, i) => {
        const response = await fetch(`${fleet.fleetUrl}&burst=${count}-${i}`, { headers: { accept: 'application/health+json' } });
        return { httpStatus: response.status, body: (await response.json()) as { status: string; output: string } };
      }),
    );
    const outcomes = answers.map(({ httpStatus, body }) => `${httpStatus} ${body.status} ${body.output}`);
    expect(new Set(outcomes).size, outcomes.join('\n')).toBe(1);
    expect(answers[0]).toMatchObject({ httpStatus: 200, body: { status: 'pass' } });
    expect(answers[0]?.body.output).toContain('ok at 2/2 shields');
  }, 60_000);
});

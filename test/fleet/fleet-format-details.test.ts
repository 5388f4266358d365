/**
 * The fleet view's small print: health+json shield entries leave out what they do not have (no
 * `time` without an answer, no `output` on pass), and a text site line with the longest code and
 * POP still fits 80 columns.
 */
import { describe, expect, it } from 'vitest';
import { gcsError } from '../support/fake-platform';
import { fleetConfig, fleetJson, fleetWorld } from './fleet-world';

const LONGEST_CODE = `${'x'.repeat(15)}-${'y'.repeat(16)}`;
const LONG_POP = 'P'.repeat(32);

describe('fleet view details', () => {
  it('health+json: a passing shield has no output; a shield that gave no answer has no time', async () => {
    const world = fleetWorld({ hops: { 'bfi-wa-us': () => Promise.reject(new Error('connection reset')) } });
    const { body } = await fleetJson(world);
    const iad = body.checks['shield:iad-va-us']![0]!;
    const bfi = body.checks['shield:bfi-wa-us']![0]!;
    expect([iad.status, 'output' in iad, typeof iad.time]).toEqual(['pass', false, 'string']);
    expect([bfi.status, 'time' in bfi, bfi.output]).toEqual(['fail', false, 'the shield backend failed: connection reset']);
  });

  it('text: every line but the pasteable actions fits 80 columns, with a 32-character code and POP', async () => {
    expect(LONGEST_CODE).toHaveLength(32);
    const world = fleetWorld({
      config: fleetConfig({ shields: `iad-va-us,${LONGEST_CODE}` }),
      shields: {
        'iad-va-us': { pop: 'IAD', shield: 'iad-va-us' },
        [LONGEST_CODE]: { pop: LONG_POP, shield: LONGEST_CODE, origin: () => gcsError(403, 'SignatureDoesNotMatch') },
      },
    });
    const text = await (await world.edge.fetch(new Request('https://canary.example.org/health?scope=fleet&format=text'))).text();
    const lines = text.split('\n'); 
    const long = lines.filter((line) => line.length > 80 && !/^\s*action: /.test(line));
    expect(long).toEqual([]);
    const site = lines.findIndex((line) => line.startsWith(`FAIL shield ${LONGEST_CODE}`));
    expect(site).toBeGreaterThan(0);
    // The rest of that site line goes on under a deeper indent than its output.
    expect(lines[site + 1]).toMatch(/^ {4}\S/);
    expect(lines[site + 2]).toBe('  origin: auth_failed (403 SignatureDoesNotMatch)');
  });
});

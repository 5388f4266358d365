/**
 * No amplifier: a shield answers scope=shield only for a header the edge signed with fleet_key,
 * within ±60 s, for that shield and that path; a refused request costs no backend request at all.
 */
import { describe, expect, it } from 'vitest';
import { equalInConstantTime, FLEET_HEADER, INNER_PATH, signInnerHeader, verifyInnerHeader } from '../../src/core/fleet/inner-header';
import { FLEET_KEY, fleetSecrets, fleetWorld } from './fleet-world';

const NOW = Date.parse('2026-12-01T12:00:00Z');
const SHIELD_URL = `https://canary.example.org${INNER_PATH}`;
const MALFORMED = `${FLEET_HEADER} header is malformed (expected v1;t=<unix seconds>;shield=<code>;sig=<64 hex>, once)`;

async function askBfi(header: string | null, url = SHIELD_URL, now = NOW) {
  const world = fleetWorld({ now: () => now });
  const response = await world.apps['bfi-wa-us']!.fetch(new Request(url, { headers: header === null ? {} : { [FLEET_HEADER]: header } }));
  const logs = world.platforms['bfi-wa-us']!.logs.filter((line) => line.msg === 'Fleet inner request refused');
  return { status: response.status, text: await response.text(), bucketReads: world.platforms['bfi-wa-us']!.requests.length, logged: logs.map((line) => line.problem) };
}

/** A header as the edge would send it, but with `t` spelled `time` (signed as spelled). */
async function withTime(time: string): Promise<string> {
  const valid = await signInnerHeader(FLEET_KEY, 'bfi-wa-us', INNER_PATH, NOW);
  return valid.replace(/;t=\d+;/, `;t=${time};`);
}

describe('the signed inner header', () => {
  it('a header signed by the edge for this shield and path is answered with the shield\'s own check', async () => {
    const answer = await askBfi(await signInnerHeader(FLEET_KEY, 'bfi-wa-us', INNER_PATH, NOW));
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text)).toMatchObject({ status: 'pass', pop: 'BFI', serviceId: 'edge-canary' });
    expect(answer.bucketReads).toBe(1);
  });

  it.each([
    { name: 'no header', header: async () => null, problem: `no ${FLEET_HEADER} header: scope=shield answers only the fleet check's signed inner request` },
    { name: 'a malformed header', header: async () => 'v1;t=now;shield=bfi-wa-us;sig=abc', problem: MALFORMED },
    { name: 't with a leading zero', header: () => withTime(`0${NOW / 1000}`), problem: MALFORMED },
    { name: 't with a sign', header: () => withTime(`+${NOW / 1000}`), problem: MALFORMED },
    { name: 'a huge t', header: () => withTime('9'.repeat(13)), problem: MALFORMED },
    { name: 't = 0', header: () => withTime('0'), problem: MALFORMED },
    { name: 'the header twice (joined by Headers)', header: async () => { const valid = await signInnerHeader(FLEET_KEY, 'bfi-wa-us', INNER_PATH, NOW); return `${valid}, ${valid}`; }, problem: MALFORMED },
    { name: 'a forged signature (another key)', header: () => signInnerHeader('another-key-of-at-least-32-characters!!', 'bfi-wa-us', INNER_PATH, NOW), problem: `${FLEET_HEADER} signature does not match (another fleet_key, or signed for another path than ${INNER_PATH})` },
    { name: 'a replay 61 s later', header: () => signInnerHeader(FLEET_KEY, 'bfi-wa-us', INNER_PATH, NOW - 61_000), problem: `${FLEET_HEADER} header is 61 s old (accepted: ±60 s)` },
    { name: 'a header from 61 s in the future', header: () => signInnerHeader(FLEET_KEY, 'bfi-wa-us', INNER_PATH, NOW + 61_000), problem: `${FLEET_HEADER} header is 61 s ahead of this POP's clock (accepted: ±60 s)` },
    { name: 'a header for another shield', header: () => signInnerHeader(FLEET_KEY, 'iad-va-us', INNER_PATH, NOW), problem: 'this POP (BFI) is not shield iad-va-us: Shield.runningOn() is false here' },
    { name: 'a header for a shield this runtime does not know', header: () => signInnerHeader(FLEET_KEY, 'fra-de', INNER_PATH, NOW), problem: 'fra-de is not a shield this runtime knows' },
    { name: 'a header for another path', header: () => signInnerHeader(FLEET_KEY, 'bfi-wa-us', '/health', NOW), problem: `${FLEET_HEADER} signature does not match (another fleet_key, or signed for another path than ${INNER_PATH})` },
  ])('refuses $name with a bare 403, the reason in the log only, reading no bucket', async ({ header, problem }) => {
    const answer = await askBfi(await header());
    expect(answer).toEqual({ status: 403, text: 'refused\n', bucketReads: 0, logged: [problem] });
  });

  it.each([
    { name: '60 s after the signed second', offsetMs: 60_000, status: 200 },
    { name: '60.49 s after (rounding said 60)', offsetMs: 60_490, status: 403 },
    { name: '60 s before', offsetMs: -60_000, status: 200 },
    { name: '60.49 s before', offsetMs: -60_490, status: 403 },
  ])('compares the time exactly: $name → $status', async ({ offsetMs, status }) => {
    const answer = await askBfi(await signInnerHeader(FLEET_KEY, 'bfi-wa-us', INNER_PATH, NOW), SHIELD_URL, NOW + offsetMs);
    expect(answer.status).toBe(status);
    if (status === 403) expect(answer.logged[0]).toMatch(/header is 60\.49 s (old|ahead of this POP's clock)/);
  });

  it('a valid header is bound to its path: the same header on another query is refused', async () => {
    const header = await signInnerHeader(FLEET_KEY, 'bfi-wa-us', INNER_PATH, NOW);
    const answer = await askBfi(header, `${SHIELD_URL}&format=html`);
    expect(answer.status).toBe(403);
    expect(answer.logged[0]).toContain('signature does not match');
  });

  it('a shield without fleet_key refuses every inner request, naming the missing secret', async () => {
    const secrets = fleetSecrets();
    delete secrets.fleet_key;
    const bare = fleetWorld({ now: () => NOW, secrets });
    const response = await bare.apps['bfi-wa-us']!.fetch(new Request(SHIELD_URL, { headers: { [FLEET_HEADER]: await signInnerHeader(FLEET_KEY, 'bfi-wa-us', INNER_PATH, NOW) } }));
    // Nothing of this POP's configuration in the answer: "fleet_key is missing" is for its log.
    expect([response.status, await response.text()]).toEqual([403, 'refused\n']);
    expect(bare.platforms['bfi-wa-us']!.logs.find((line) => line.msg === 'Fleet inner request refused')?.problem)
      .toMatch(/^this POP cannot verify the fleet check: fleet_key: missing from secret store canary_secrets/);
    expect(bare.platforms['bfi-wa-us']!.requests).toHaveLength(0);
  });

  it('verification checks the signature before asking which shield this POP is', async () => {
    let asked = false;
    const header = await signInnerHeader('another-key-of-at-least-32-characters!!', 'bfi-wa-us', INNER_PATH, NOW);
    const verdict = await verifyInnerHeader(FLEET_KEY, header, { path: INNER_PATH, nowMs: NOW, notThisShield: () => ((asked = true), null) });
    expect([verdict.ok, asked]).toEqual([false, false]);
  });

  it('compares signatures whole', () => {
    expect(equalInConstantTime('ab12', 'ab12')).toBe(true);
    expect(equalInConstantTime('ab12', 'ab13')).toBe(false);
    expect(equalInConstantTime('ab12', 'ab1')).toBe(false);
    expect(equalInConstantTime('', 'a')).toBe(false);
  });
});

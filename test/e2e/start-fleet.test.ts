/**
 * `npm start -- --fleet` as a user runs it, on each runtime: the banner's fleet URL passes, its own
 * command breaks one shield, Ctrl-C stops it all and every port the banner printed is closed.
 */
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { describeOnRuntimes } from '../support/runtimes';
import { spawnStart, stopProcess } from './start-process';
import type { StartProcess } from './start-process';

let running: StartProcess | undefined;

afterEach(async () => {
  if (running) await stopProcess(running, 'SIGKILL');
  running = undefined;
});

interface FleetSeen {
  status: string;
  statuspage: string | null;
  output: string;
  shields: Record<string, string>;
}

async function fleetHealth(fleetUrl: string): Promise<FleetSeen | null> {
  const response = await fetch(fleetUrl, { headers: { accept: 'application/health+json' } }).catch(() => null);
  if (response === null) return null;
  const body = (await response.json()) as { status: string; statuspage: string | null; output: string; checks: Record<string, { status: string }[]> };
  const shields = Object.fromEntries(Object.entries(body.checks).flatMap(([key, [entry]]) => (key.startsWith('shield:') && entry ? [[key.slice(7), entry.status]] : [])));
  return { status: body.status, statuspage: body.statuspage, output: body.output, shields };
}

async function pollFleet(fleetUrl: string, giveUpAt: number, wanted: (seen: FleetSeen) => boolean): Promise<FleetSeen | null> {
  let last: FleetSeen | null = null;
  while (Date.now() < giveUpAt) {
    last = (await fleetHealth(fleetUrl)) ?? last;
    if (last !== null && wanted(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return last;
}

async function banner(start: StartProcess): Promise<string> {
  const giveUpAt = Date.now() + 60_000;
  while (!start.output().stdout.includes('Ctrl-C stops them all')) {
    if (start.child.exitCode !== null || Date.now() > giveUpAt) throw new Error(`no fleet banner: ${start.output().stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return start.output().stdout;
}

/** Every `http://127.0.0.1:PORT` the banner printed (the edge, the shields, their paths, the emulator). */
function bannerPorts(text: string): number[] {
  return [...new Set([...text.matchAll(/http:\/\/127\.0\.0\.1:(\d+)/g)].map((match) => Number(match[1])))];
}

/** Whether a TCP connection to the port is refused (nothing listens there any more). */
function refuses(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

/** fastly.toml's result_ttl_ms (5 s) + its deadline_ms (8 s, how long a hanging route takes to fail) + room for a busy box. */
const BREAK_SEEN_BOUND_MS = 5000 + 8000 + 12_000;

describeOnRuntimes('npm start -- --fleet', (runtime) => {
  it("prints the fleet, passes, goes partial_outage naming the shield the banner's command broke, and Ctrl-C closes every port", async () => {
    running = spawnStart(['--fleet', '--runtime', runtime, '--port', '0', '--emulator-port', '0']);
    const text = await banner(running);
    const fleetUrl = /^ {2}fleet {6}(http:\/\/\S+\/health\?scope=fleet)/m.exec(text)?.[1] ?? '';
    expect(text).toMatch(/^ {2}shield {5}iad-va-us {2}http:\/\/127\.0\.0\.1:\d+ .*FASTLY_POP iad-va-us/m);
    expect(text).toMatch(/^ {2}shield {5}bfi-wa-us {2}http:\/\/127\.0\.0\.1:\d+ .*FASTLY_POP bfi-wa-us/m);
    expect(await pollFleet(fleetUrl, Date.now() + 20_000, (seen) => seen.status === 'pass')).toMatchObject({ statuspage: 'operational', shields: { 'iad-va-us': 'pass', 'bfi-wa-us': 'pass' } });

    const hang = /# (\S+) loses its route to the bucket.*\n {2}curl -s -XPOST (\S+)\n {2}curl -s -XPOST (\S+)/.exec(text);
    expect(hang, 'the banner shows how to break one shield').not.toBeNull();
    const [, shield = '', hangUrl = '', restoreUrl = ''] = hang ?? [];
    expect((await fetch(hangUrl, { method: 'POST' })).status).toBe(200);
    const broken = await pollFleet(fleetUrl, Date.now() + BREAK_SEEN_BOUND_MS, (seen) => seen.statuspage === 'partial_outage');
    expect(broken).toMatchObject({ status: 'fail', statuspage: 'partial_outage', shields: { [shield]: 'fail' } });
    expect(broken?.output).toContain(shield);
    expect((await fetch(restoreUrl, { method: 'POST' })).status).toBe(200);

    const ports = bannerPorts(text);
    expect(ports.length, 'the edge, two shields, their two paths and the emulator').toBeGreaterThanOrEqual(6);
    const run = await stopProcess(running, 'SIGINT');
    running = undefined;
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('stopping the canaries, the uploader and the emulator');
    expect(run.stderr.trimEnd().endsWith('stopped')).toBe(true);
    expect(await Promise.all(ports.map(async (port) => [port, await refuses(port)]))).toEqual(ports.map((port) => [port, true]));
  }, 120_000);
});

describe('npm start -- --fleet usage', () => {
  it.each([
    { args: ['--shields', 'iad-va-us'], message: 'edge-canary start: --shields needs --fleet' },
    { args: ['--fleet', '--one-bucket'], message: 'edge-canary start: --one-bucket and --fleet do not go together: the fleet already reads the one bucket (no S3 archive), drop --one-bucket' },
    { args: ['--fleet', '--shields', 'iad-va-us,IAD'], message: 'edge-canary start: --shields: shields: entry 2 "IAD" is not a shield code (lowercase letters and digits joined by - or _, e.g. iad-va-us)' },
    { args: ['--fleet', '--shields', 'iad-va-us,iad-va-us'], message: 'edge-canary start: --shields: shields: entry 2 "iad-va-us" is listed twice' },
  ])('$args is a usage error, exit 1, before anything starts', async ({ args, message }) => {
    running = spawnStart([...args, '--port', '0', '--emulator-port', '0']);
    const run = await running.done;
    running = undefined;
    expect(run.code).toBe(1);
    expect(run.stderr.split('\n')[0]).toBe(message);
    expect(run.stdout).toBe('');
  });
});

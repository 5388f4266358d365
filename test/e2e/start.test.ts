/** `npm start` as a user runs it: a pass on /health soon after start, clean Ctrl-C, clear port errors. */
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnStart, stopProcess } from './start-process';
import type { StartProcess } from './start-process';

let running: StartProcess | undefined;
let blocker: Server | undefined;

afterEach(async () => {
  if (running) await stopProcess(running, 'SIGKILL');
  running = undefined;
  await new Promise<void>((resolve) => (blocker ? blocker.close(() => resolve()) : resolve()));
  blocker = undefined;
});

/** Listens on the port and closes at once: true when nobody else holds it. */
function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

function occupyPort(): Promise<{ server: Server; port: number }> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve({ server, port: typeof address === 'object' && address ? address.port : 0 });
    });
  });
}

async function pollUntilPass(canaryUrl: string, giveUpAt: number): Promise<string> {
  let last = 'no answer';
  while (Date.now() < giveUpAt) {
    const response = await fetch(`${canaryUrl}/health?format=json`).catch(() => null);
    if (response) {
      const body = (await response.json()) as { status: string };
      if (body.status === 'pass') return body.status;
      last = body.status;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return last;
}

const lines = (text: string): string[] => text.split('\n').filter((line) => line.trim() !== '');

describe('npm start', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('serves pass on /health, then stops all three on %s with exit 0', async (signal) => {
    running = spawnStart(['--port', '0', '--emulator-port', '0']);
    const urls = await running.urls;
    // The product promise is 5 s on a developer laptop; the bound here leaves room for a loaded CI box.
    const status = await pollUntilPass(urls.canary, running.spawnedAt + 15_000);
    const firstPassMs = Date.now() - running.spawnedAt;
    expect(status).toBe('pass');
    console.log(`npm start → first /health pass after ${firstPassMs} ms (${signal} run)`);

    const run = await stopProcess(running, signal);
    running = undefined;
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`curl -s '${urls.canary}/health?format=text'`);
    expect(run.stdout).toContain(`curl -s -XPOST ${urls.emulator}/_emulator/keys/rotate -d '{"accessId":"GOOG1`);
    expect(run.stdout).toContain(`curl -s -XPOST ${urls.emulator}/_emulator/keys/restore`);
    expect(run.stderr).toContain('uploader wrote gs://edge-canary-local/edge-canary/canary.json sequence 1');
    const ports = [new URL(urls.canary).port, new URL(urls.emulator).port].map(Number);
    expect(await Promise.all(ports.map(portIsFree))).toEqual([true, true]);
  });

  it.each([
    { role: 'canary', flag: '--port', other: '--emulator-port' },
    { role: 'GCS emulator', flag: '--emulator-port', other: '--port' },
  ])('a busy $role port is one line naming it, exit 1, before anything starts', async ({ role, flag, other }) => {
    const occupied = await occupyPort();
    blocker = occupied.server;
    running = spawnStart([flag, String(occupied.port), other, '0']);

    const run = await running.done;
    running = undefined;
    expect(run.code).toBe(1);
    expect(lines(run.stderr)).toEqual([
      `edge-canary start: port ${occupied.port} on 127.0.0.1 is already in use (wanted for the ${role}); stop what uses it or choose another with ${flag} N`,
    ]);
    expect(run.stdout).toBe('');
  });

  it('names every busy port at once, in one line, exit 1', async () => {
    const canary = await occupyPort();
    const emulator = await occupyPort();
    blocker = canary.server;
    try {
      running = spawnStart(['--port', String(canary.port), '--emulator-port', String(emulator.port)]);
      const run = await running.done;
      running = undefined;
      expect(run.code).toBe(1);
      expect(lines(run.stderr)).toEqual([
        `edge-canary start: 2 ports are already in use: ${canary.port} on 127.0.0.1 (wanted for the canary), ${emulator.port} on 127.0.0.1 (wanted for the GCS emulator); ` +
          'stop what uses them or choose others with --port N and --emulator-port N',
      ]);
    } finally {
      await new Promise<void>((resolve) => emulator.server.close(() => resolve()));
    }
  });
});

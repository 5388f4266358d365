/** Runs `scripts/start.ts` as a child process, the way `npm start` does, for the smoke tests. */
import type { ChildProcess } from 'node:child_process';
import { spawnScript } from '../support/spawn-script';
import type { ScriptRun } from '../support/spawn-script';

export interface StartProcess {
  child: ChildProcess;
  /** Milliseconds since the epoch when the process was spawned. */
  spawnedAt: number;
  /** What it has printed so far. */
  output(): ScriptRun;
  /** Resolves with everything printed once the process has exited. */
  done: Promise<ScriptRun>;
  /** Resolves with the canary and emulator URLs once the banner is printed; rejects if it exits first. */
  urls: Promise<{ canary: string; emulator: string }>;
}

export function spawnStart(args: string[]): StartProcess {
  const spawnedAt = Date.now();
  const { child, output, done } = spawnScript('scripts/start.ts', args, { env: { ...process.env, NO_COLOR: '1' } });
  const urls = new Promise<{ canary: string; emulator: string }>((resolve, reject) => {
    child.stdout?.on('data', () => {
      const { stdout } = output();
      const canary = /canary\s+(http:\/\/\S+)\/health/.exec(stdout)?.[1];
      const emulator = /emulator\s+(http:\/\/\S+)/.exec(stdout)?.[1];
      if (canary !== undefined && emulator !== undefined) resolve({ canary, emulator });
    });
    void done.then((run) => reject(new Error(`npm start exited (${run.code}) before printing its URLs: ${run.stderr}`)));
  });
  // A run expected to fail early never asks for its URLs; that must not be an unhandled rejection.
  urls.catch(() => undefined);
  return { child, spawnedAt, output, done, urls };
}

export function stopProcess(start: StartProcess, signal: NodeJS.Signals): Promise<ScriptRun> {
  if (start.child.exitCode === null && start.child.signalCode === null) start.child.kill(signal);
  return start.done;
}

/** Asks `read` until `wanted` says yes or the time is up (a null answer keeps the last one); returns the last answer. */
export async function pollUntil<T>(read: () => Promise<T | null>, wanted: (seen: T) => boolean, giveUpAt: number, everyMs = 50): Promise<T | null> {
  let last: T | null = null;
  while (Date.now() < giveUpAt) {
    last = (await read()) ?? last;
    if (last !== null && wanted(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  return last;
}

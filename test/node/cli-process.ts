/** Runs `src/node/cli.ts` as a child process, the way `npm run serve` does, for the CLI tests. */

import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../..', import.meta.url));

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunningCli {
  url: string;
  child: ChildProcess;
  /** Sends the signal and resolves when the process has exited. */
  stop(signal: NodeJS.Signals): Promise<CliRun>;
}

function spawnCli(args: string[], env: Record<string, string> = {}): { child: ChildProcess; done: Promise<CliRun> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/node/cli.ts', ...args], {
    cwd: REPO,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const done = new Promise<CliRun>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  return { child, done };
}

export function runCli(args: string[]): Promise<CliRun> {
  return spawnCli(args).done;
}

/** Starts the CLI and resolves once it prints the address it listens on. */
export function startCli(args: string[], env: Record<string, string> = {}): Promise<RunningCli> {
  const { child, done } = spawnCli(args, env);
  return new Promise((resolve, reject) => {
    let seen = '';
    child.stderr?.on('data', (chunk: string) => {
      seen += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(seen);
      if (match === null) return;
      const stop = (signal: NodeJS.Signals) => {
        child.kill(signal);
        return done;
      };
      resolve({ url: match[1], child, stop });
    });
    void done.then((run) => reject(new Error(`the CLI exited (${run.code}) before listening: ${run.stderr}`)));
  });
}

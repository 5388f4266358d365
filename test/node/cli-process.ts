/** Runs `src/node/cli.ts` as a child process, the way `npm run serve` does, for the CLI tests. */

import type { ChildProcess } from 'node:child_process';
import { spawnScript } from '../support/spawn-script';
import type { ScriptRun, SpawnedScript } from '../support/spawn-script';

export interface RunningCli {
  url: string;
  child: ChildProcess;
  /** Sends the signal and resolves when the process has exited. */
  stop(signal: NodeJS.Signals): Promise<ScriptRun>;
}

function spawnCli(args: string[], env: Record<string, string> = {}): SpawnedScript {
  return spawnScript('src/node/cli.ts', args, { env: { ...process.env, ...env } });
}

export function runCli(args: string[]): Promise<ScriptRun> {
  return spawnCli(args).done;
}

/** Starts the CLI and resolves once it prints the address it listens on. */
export function startCli(args: string[], env: Record<string, string> = {}): Promise<RunningCli> {
  const { child, output, done } = spawnCli(args, env);
  return new Promise((resolve, reject) => {
    child.stderr?.on('data', () => {
      const match = /listening on (http:\/\/\S+)/.exec(output().stderr);
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

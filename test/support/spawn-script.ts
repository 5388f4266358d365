/** Runs a repository script as its npm script does (`node --import tsx FILE`), for CLI tests that assert exit codes and output. */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface ScriptRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface SpawnedScript {
  child: ChildProcess;
  /** What it has printed so far (code null while it runs). */
  output(): ScriptRun;
  /** Resolves with everything printed once the process has exited. */
  done: Promise<ScriptRun>;
}

export interface SpawnScriptOptions {
  /** The whole environment of the child; default: this process's. */
  env?: NodeJS.ProcessEnv;
  /** Written to the child's stdin, which is then closed; without it stdin is /dev/null. */
  stdin?: string;
  /** Kills the child (SIGTERM) if it is still running after this long. */
  timeoutMs?: number;
}

/** `script` is relative to the repository root, which is the child's working directory. */
export function spawnScript(script: string, args: readonly string[], options: SpawnScriptOptions = {}): SpawnedScript {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: REPO_ROOT,
    env: options.env ?? process.env,
    stdio: [options.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    ...(options.timeoutMs === undefined ? {} : { timeout: options.timeoutMs }),
  });
  const run: ScriptRun = { code: null, stdout: '', stderr: '' };
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (run.stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (run.stderr += chunk));
  if (options.stdin !== undefined) child.stdin?.end(options.stdin);
  const done = new Promise<ScriptRun>((resolve) => child.on('close', (code) => resolve({ ...run, code })));
  return { child, output: () => run, done };
}

/** The non-empty lines of some output. */
export function lines(text: string): string[] {
  return text.split('\n').filter((line) => line !== '');
}

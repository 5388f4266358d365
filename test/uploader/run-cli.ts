/** Spawns the real CLI (`node --import tsx scripts/upload-canary.ts`) for exit-code and output tests. */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { REPO_ROOT } from '../support/spawn-script';

export { REPO_ROOT, lines } from '../support/spawn-script';

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  elapsedMs: number;
}

/** The environment without anything that would point the uploader somewhere else. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of ['STORAGE_EMULATOR_HOST', 'CANARY_BUCKET', 'CANARY_OBJECT', 'GOOGLE_APPLICATION_CREDENTIALS']) delete env[key];
  return { ...env, ...extra };
}

export function spawnCli(args: readonly string[], env: NodeJS.ProcessEnv = cleanEnv()): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'scripts/upload-canary.ts', ...args], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Resolves when the child exits; `onStdout` sees output as it arrives (to signal a running loop). */
export function collect(child: ChildProcess, onStdout?: (soFar: string) => void): Promise<CliRun> {
  const started = performance.now();
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    onStdout?.(stdout);
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr, elapsedMs: performance.now() - started }));
  });
}

export function runCli(args: readonly string[], env?: NodeJS.ProcessEnv): Promise<CliRun> {
  return collect(spawnCli(args, env));
}

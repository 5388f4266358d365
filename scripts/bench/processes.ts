/** The stack's services as child processes, started the way their npm scripts start them. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
const KEPT_OUTPUT_CHARS = 4000;

export class ServiceStartError extends Error {
  constructor(name: string, reason: string) {
    super(`${name} did not start: ${reason}`);
    this.name = 'ServiceStartError';
  }
}

export interface ChildService {
  name: string;
  /** The first capture group of `ready`, e.g. the URL it listens on. */
  ready: string;
  /** The last few KB of its stdout and stderr, for a failure message. */
  recentOutput(): string;
  stop(): Promise<void>;
}

export interface ServiceSpec {
  name: string;
  /** A TypeScript entry point relative to the repository, run with tsx. */
  script: string;
  args: string[];
  env?: Record<string, string>;
  /** Matched against stdout+stderr; group 1 becomes `ready`. */
  ready: RegExp;
  timeoutMs?: number;
}

export function startService(spec: ServiceSpec): Promise<ChildService> {
  const child = spawn(process.execPath, ['--import', 'tsx', spec.script, ...spec.args], {
    cwd: REPO,
    env: { ...process.env, ...spec.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: string) => {
    output = (output + chunk).slice(-KEPT_OUTPUT_CHARS);
  };
  child.stdout.setEncoding('utf8').on('data', keep);
  child.stderr.setEncoding('utf8').on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new ServiceStartError(spec.name, `no ready line within ${spec.timeoutMs ?? 30_000} ms`));
    }, spec.timeoutMs ?? 30_000);
    const watch = () => {
      const match = spec.ready.exec(output);
      if (match === null) return;
      clearTimeout(timer);
      child.stdout.off('data', watch);
      child.stderr.off('data', watch);
      resolve({ name: spec.name, ready: match[1] ?? '', recentOutput: () => output, stop });
    };
    child.stdout.on('data', watch);
    child.stderr.on('data', watch);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new ServiceStartError(spec.name, `exited early: ${output.trim().split('\n').slice(-3).join(' | ')}`));
    });
  });
}

/**
 * What the CLIs here do alike: strict `node:util` flags, one UsageError for bad input, a port flag,
 * waiting for Ctrl-C / SIGTERM, and one prefix style for diagnostics. Each CLI keeps its own usage
 * text and exit codes.
 */
import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';

/**
 * The prefix of every diagnostic line a CLI writes on stderr: `edge-canary <command>:`, the command
 * named as in `npm run <command>`, so a line in a log says which tool wrote it.
 */
export function cliPrefix(command: string): string {
  return `edge-canary ${command}:`;
}

/**
 * A crash: not a usage error and not a failed operation, so a bug. Printed in full after the
 * prefix (through `redact` when the CLI holds a secret) and mapped to exit 2; returns the code.
 */
export function reportCrash(prefix: string, error: unknown, redact: (text: string) => string = (text) => text): number {
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`${redact(`${prefix} unexpected error: ${text}`)}\n`);
  return 2;
}

/** Bad flags, environment or names: the CLI prints it (with its usage text where flags are at fault) and exits 1. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export type FlagOptions = NonNullable<ParseArgsConfig['options']>;
type StrictFlagsConfig<O extends FlagOptions> = { args: string[]; options: O; strict: true; allowPositionals: false };
export type FlagValues<O extends FlagOptions> = ReturnType<typeof parseArgs<StrictFlagsConfig<O>>>['values'];

/** parseArgs with unknown flags and positionals refused, its error turned into a UsageError. */
export function parseFlags<O extends FlagOptions>(argv: readonly string[], options: O): FlagValues<O> {
  try {
    return parseArgs<StrictFlagsConfig<O>>({ args: [...argv], options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    // parseArgs adds lines of advice about positionals and dashes; the first line says what is wrong.
    const message = error instanceof Error ? error.message : String(error);
    throw new UsageError(message.split('\n')[0] ?? message);
  }
}

/** A listen port; 0 asks the system for any free one. */
export function parsePort(text: string, flag: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) throw new UsageError(`${flag} must be a number from 0 to 65535, got "${text}"`);
  return port;
}

/**
 * Resolves with the first SIGINT or SIGTERM, so the CLI can close what it opened. With
 * `forceExitCode`, a second signal during a shutdown that may take a while exits at once.
 */
export function untilStopSignal(options: { forceExitCode?: number } = {}): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      const { forceExitCode } = options;
      if (forceExitCode !== undefined) {
        const force = (): void => process.exit(forceExitCode);
        process.once('SIGINT', force);
        process.once('SIGTERM', force);
      }
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

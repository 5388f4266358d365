/** `npm run upload`: write the canary once, or every --interval seconds until SIGINT/SIGTERM. */
import { hostname } from 'node:os';
import { cliPrefix } from '../../src/node/cli-kit';
import { USAGE, parseUploadArgs } from './args';
import type { OriginsSource, UploadConfig } from './args';
import { runOrigins } from './cli-origins';
import { buildCanary } from './canary-object';
import { CanaryWriteError, UsageError } from './errors';
import { formatDryRun, formatWriteResult } from './output';
import { createStorage } from './storage-client';
import { runUploadLoop } from './upload-loop';
import { writeCanary } from './write-canary';
import type { WriteCanaryOptions } from './write-canary';

const PREFIX = cliPrefix('upload');

export interface CliIo {
  stdout: (line: string) => void;
  stderr: (line: string) => void;
  env: NodeJS.ProcessEnv;
  /** Where SIGINT/SIGTERM arrive; the process, or an EventEmitter in tests. */
  signals: Pick<NodeJS.Process, 'on' | 'off'>;
}

const processIo: CliIo = {
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
  env: process.env,
  signals: process,
};

/** 0 written (or stopped cleanly), 1 usage or configuration error, 2 the write failed. */
export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  let config: UploadConfig;
  try {
    config = parseUploadArgs(argv, io.env, hostname());
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`${PREFIX} ${error.message}`);
    io.stderr(USAGE);
    return 1;
  }
  if (config.help) {
    io.stdout(USAGE);
    return 0;
  }
  if (config.originsSource !== null) return runOriginsUntilStopped(config, config.originsSource, io);
  if (config.dryRun) {
    const canary = { ...buildCanary(0, config.writer, new Date()), sequence: null };
    io.stdout(formatDryRun(config.bucket, config.object, canary, config.json));
    io.stderr(`${PREFIX} dry run: nothing was read or written; sequence is the current one + 1 at write time`);
    return 0;
  }
  const write: WriteCanaryOptions = {
    storage: createStorage({ endpoint: config.endpoint }),
    bucket: config.bucket,
    object: config.object,
    writer: config.writer,
    force: config.force,
    onNotice: (message) => io.stderr(`${PREFIX} ${message}`),
  };
  return config.intervalSeconds === null ? writeOnce(write, config, io) : writeEvery(config.intervalSeconds, write, config, io);
}

async function runOriginsUntilStopped(config: UploadConfig, source: OriginsSource, io: CliIo): Promise<number> {
  const controller = new AbortController();
  const stop = stopper(controller, io);
  io.signals.on('SIGINT', stop);
  io.signals.on('SIGTERM', stop);
  try {
    return await runOrigins(config, source, { ...io, signal: controller.signal });
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`${PREFIX} ${error.message}`);
    return 1;
  } finally {
    io.signals.off('SIGINT', stop);
    io.signals.off('SIGTERM', stop);
  }
}

/** The first signal stops after the write in flight; a second one stops at once. */
function stopper(controller: AbortController, io: CliIo): () => void {
  return () => {
    if (controller.signal.aborted) {
      io.stderr(`${PREFIX} second signal: stopping without waiting for the write in flight`);
      process.exit(130);
    }
    controller.abort();
  };
}

async function writeOnce(write: WriteCanaryOptions, config: UploadConfig, io: CliIo): Promise<number> {
  try {
    io.stdout(formatWriteResult(await writeCanary(write), config.json));
    return 0;
  } catch (error) {
    if (!(error instanceof CanaryWriteError)) throw error;
    io.stderr(`${PREFIX} ${error.message}`);
    return 2;
  }
}

async function writeEvery(seconds: number, write: WriteCanaryOptions, config: UploadConfig, io: CliIo): Promise<number> {
  const controller = new AbortController();
  const stop = stopper(controller, io);
  io.signals.on('SIGINT', stop);
  io.signals.on('SIGTERM', stop);
  try {
    const summary = await runUploadLoop({
      ...write,
      intervalMs: seconds * 1000,
      signal: controller.signal,
      onWrite: (result) => io.stdout(formatWriteResult(result, config.json)),
      onError: (error) => io.stderr(`${PREFIX} ${error.message}; next try in ${seconds} s`),
    });
    io.stderr(`${PREFIX} stopped after ${summary.writes} writes, ${summary.failures} failed`);
    return 0;
  } finally {
    io.signals.off('SIGINT', stop);
    io.signals.off('SIGTERM', stop);
  }
}

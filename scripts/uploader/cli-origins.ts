/** `npm run upload -- --origins FILE | --manifest FILE`: every origin each tick, a line (or JSON) per origin. */
import { cliPrefix } from '../../src/node/cli-kit';
import { ManifestError } from '../../src/node/manifest';
import type { OriginsSource, UploadConfig } from './args';
import { buildCanary } from './canary-object';
import { UsageError } from './errors';
import { readManifestOrigins, readOriginsFile } from './origins-file';
import type { UploadOrigin } from './origins-file';
import { formatDryRun } from './output';
import { formatOriginsTick } from './output-origins';
import { createStorage } from './storage-client';
import { runTicks } from './upload-loop';
import { originWriters, writeOrigins } from './write-origins';
import type { OriginsWriteOptions } from './write-origins';

const PREFIX = cliPrefix('upload');

export interface OriginsIo {
  stdout: (line: string) => void;
  stderr: (line: string) => void;
  env: NodeJS.ProcessEnv;
  /** Set by the caller's signal handling; aborting stops the loop after the tick in flight. */
  signal: AbortSignal;
}

async function loadOrigins(source: OriginsSource): Promise<UploadOrigin[]> {
  if (source.kind === 'file') return readOriginsFile(source.path);
  let origins: UploadOrigin[] | null;
  try {
    origins = readManifestOrigins(source.path);
  } catch (error) {
    if (error instanceof ManifestError) throw new UsageError(error.message);
    throw error;
  }
  if (origins === null) throw new UsageError(`--manifest ${source.path}: [local_server.config_stores.canary_config] has no "origins" value`);
  return origins;
}

/** 0 every origin written (or stopped cleanly), 1 usage or configuration error, 2 any origin not written. */
export async function runOrigins(config: UploadConfig, source: OriginsSource, io: OriginsIo): Promise<number> {
  const origins = await loadOrigins(source);
  if (config.dryRun) {
    const canary = { ...buildCanary(0, config.writer, new Date()), sequence: null };
    for (const origin of origins) {
      const target = origin.provider === 'gcs' ? undefined : `s3://${origin.bucket}/${origin.object} (${origin.provider}, ${origin.host})`;
      const line = formatDryRun(origin.bucket, origin.object, canary, config.json, target);
      io.stdout(config.json ? JSON.stringify({ origin: origin.name, provider: origin.provider, host: origin.host, ...(JSON.parse(line) as Record<string, unknown>) }) : `origin ${origin.name}: ${line}`);
    }
    io.stderr(`${PREFIX} dry run: nothing was read or written; every origin gets the same sequence (the highest + 1) at write time`);
    return 0;
  }
  const notice = (message: string): void => io.stderr(`${PREFIX} ${message}`);
  const write: OriginsWriteOptions = {
    writers: originWriters(origins, { storage: createStorage({ endpoint: config.endpoint }), endpoint: config.endpoint, env: io.env, onNotice: notice }),
    writer: config.writer,
    force: config.force,
    onNotice: notice,
    sequenceFloor: { highest: 0 },
  };
  const tick = async (): Promise<boolean> => {
    const result = await writeOrigins(write);
    const lines = formatOriginsTick(result, config.json);
    for (const line of lines.stdout) io.stdout(line);
    for (const line of lines.stderr) io.stderr(`${PREFIX} ${line}`);
    return result.outcomes.every((o) => o.ok);
  };
  if (config.intervalSeconds === null) return (await tick()) ? 0 : 2;
  const summary = await runTicks({ intervalMs: config.intervalSeconds * 1000, signal: io.signal }, tick);
  io.stderr(`${PREFIX} stopped after ${summary.writes + summary.failures} ticks, ${summary.failures} with an origin not written`);
  return 0;
}

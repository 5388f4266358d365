import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../scripts/emulator';
import type { Emulator } from '../../scripts/emulator';
import { UsageError, createStorage, readCanary, runUploadLoop } from '../../scripts/uploader';
import type { WriteResult } from '../../scripts/uploader';
import { REPO_ROOT, collect } from './run-cli';

let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, buckets: ['b'] });
});

afterAll(async () => {
  await emulator.close();
});

describe('runUploadLoop in-process', () => {
  it('stops on abort only after the write in flight has landed', async () => {
    const storage = createStorage({ endpoint: emulator.url });
    const controller = new AbortController();
    const written: WriteResult[] = [];
    let writesStarted = 0;
    const summary = await runUploadLoop({
      storage,
      bucket: 'b',
      object: 'loop/abort.json',
      writer: 'loop@test',
      intervalMs: 10,
      signal: controller.signal,
      onWrite: (result) => written.push(result),
      beforeWrite: () => {
        writesStarted += 1;
        // Stop arrives mid-write (after the read, before the upload) on the third write.
        if (writesStarted === 3) controller.abort();
      },
    });
    expect(summary).toEqual({ writes: 3, failures: 0 });
    expect(written.map((r) => r.sequence)).toEqual([1, 2, 3]);
    const [bytes] = await storage.bucket('b').file('loop/abort.json').download();
    expect(readCanary(bytes)).toMatchObject({ readable: true, sequence: 3 });
  });

  it('keeps counting up after the object was deleted, instead of writing sequence 1 again', async () => {
    const storage = createStorage({ endpoint: emulator.url });
    const controller = new AbortController();
    const sequences: number[] = [];
    await runUploadLoop({
      storage,
      bucket: 'b',
      object: 'loop/deleted.json',
      writer: 'loop@test',
      intervalMs: 10,
      signal: controller.signal,
      onWrite: (result) => {
        sequences.push(result.sequence);
        if (sequences.length === 2) emulator.removeObject('b', 'loop/deleted.json');
        if (sequences.length === 4) controller.abort();
      },
    });
    expect(sequences).toEqual([1, 2, 3, 4]);
  });

  it('does not spin when every write is refused at once, even with no interval', async () => {
    const controller = new AbortController();
    let firstFailure: () => void = () => undefined;
    const failedOnce = new Promise<void>((resolve) => (firstFailure = resolve));
    const stopped = runUploadLoop({
      storage: createStorage({ endpoint: emulator.url }),
      bucket: 'no-such-bucket',
      object: 'loop/refused.json',
      writer: 'w',
      intervalMs: 0,
      signal: controller.signal,
      onError: () => firstFailure(),
    });
    // Counted from the first failure, so a slow first request on a busy machine cannot make it zero.
    await failedOnce;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    controller.abort();
    const summary = await stopped;
    // About four failures a second after the first (one per 250 ms); a busy loop would make hundreds.
    expect(summary.writes).toBe(0);
    expect(summary.failures).toBeGreaterThanOrEqual(1);
    expect(summary.failures).toBeLessThanOrEqual(10);
  });

  it('refuses a bad object name instead of looping on it', async () => {
    const attempt = runUploadLoop({
      storage: createStorage({ endpoint: emulator.url }),
      bucket: 'b',
      object: 'loop/[0-9].json',
      writer: 'w',
      intervalMs: 10,
      signal: new AbortController().signal,
    });
    await expect(attempt).rejects.toBeInstanceOf(UsageError);
  });

  it('keeps flat memory over 1000 writes', { timeout: 120_000 }, async () => {
    const child = spawn(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', 'test/uploader/fixtures/memory-soak.ts', emulator.url, 'loop/soak.json', '1000', '100'],
      { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const run = await collect(child);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const figures = JSON.parse(run.stdout) as { writes: number; failures: number; heapGrowthMb: number; rssGrowthMb: number };
    console.log(`uploader loop memory over ${figures.writes} writes: ${run.stdout.trim()}`);
    expect(figures).toMatchObject({ writes: 1000, failures: 0 });
    expect(figures.heapGrowthMb).toBeLessThan(30);
  });
});

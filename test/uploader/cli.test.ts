import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator } from '../../scripts/emulator';
import type { Emulator } from '../../scripts/emulator';
import { cleanEnv, collect, lines, runCli, spawnCli } from './run-cli';

let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, buckets: ['b'] });
});

afterAll(async () => {
  await emulator.close();
});

beforeEach(() => {
  emulator.reset();
});

const writeArgs = (object: string, ...extra: string[]): string[] => ['--bucket', 'b', '--object', object, '--endpoint', emulator.url, ...extra];

describe('npm run upload (spawned CLI)', () => {
  it('writes once with --json: one line per write, sequence 1 then 2, exit 0', async () => {
    const first = await runCli(writeArgs('cli/once.json', '--json'));
    const second = await runCli(writeArgs('cli/once.json', '--json'));
    expect(first.code).toBe(0);
    expect(second.code).toBe(0);
    const [firstLine, ...moreLines] = lines(first.stdout);
    expect(moreLines).toEqual([]);
    const written = JSON.parse(firstLine ?? '') as Record<string, unknown>;
    expect(Object.keys(written).sort()).toEqual(['bucket', 'duration_ms', 'generation', 'object', 'sequence', 'superseded_by', 'written_at']);
    expect(written).toMatchObject({ bucket: 'b', object: 'cli/once.json', sequence: 1 });
    expect(written.written_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(first.stderr).toContain('gs://b/cli/once.json does not exist yet; writing sequence 1');
    expect(JSON.parse(second.stdout)).toMatchObject({ sequence: 2 });
    expect(second.stderr).toBe('');
  });

  it('prints a readable line without --json', async () => {
    const run = await runCli(writeArgs('cli/readable.json'));
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^wrote gs:\/\/b\/cli\/readable\.json sequence 1 generation \d+ in \d+ ms\n$/);
  });

  it('takes bucket, object and emulator from the environment', async () => {
    const env = cleanEnv({ CANARY_BUCKET: 'b', CANARY_OBJECT: 'cli/env.json', STORAGE_EMULATOR_HOST: emulator.url });
    const run = await runCli(['--json'], env);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ bucket: 'b', object: 'cli/env.json', sequence: 1 });
  });

  it('--dry-run prints the object it would write and sends nothing', async () => {
    const run = await runCli(writeArgs('cli/dry.json', '--dry-run', '--json', '--writer', 'dry@host'));
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      dry_run: true,
      bucket: 'b',
      object: 'cli/dry.json',
      content_type: 'application/json',
      cache_control: 'no-store, max-age=0',
      canary: { kind: 'edge-canary', version: 1, sequence: null, writer: 'dry@host' },
    });
    expect(emulator.requestLog()).toEqual([]);
  });

  it('--dry-run needs no reachable storage at all', async () => {
    const run = await runCli(['--bucket', 'b', '--object', 'o', '--endpoint', 'http://127.0.0.1:9', '--dry-run']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('"kind": "edge-canary"');
  });

  it.each([
    { name: 'no bucket', args: ['--object', 'o'], message: /no bucket: pass --bucket B or set CANARY_BUCKET/ },
    { name: 'no object', args: ['--bucket', 'b'], message: /no object: pass --object O or set CANARY_OBJECT/ },
    { name: 'unknown flag', args: ['--bucket', 'b', '--object', 'o', '--delete'], message: /Unknown option '--delete'/ },
    { name: 'bad interval', args: ['--bucket', 'b', '--object', 'o', '--interval', 'soon'], message: /--interval must be/ },
    { name: 'wildcard object', args: ['--bucket', 'b', '--object', 'canary/*'], message: /never as a pattern/ },
    { name: 'parent segment', args: ['--bucket', 'b', '--object', 'a/../b'], message: /"\.\." segment/ },
    { name: 'leading slash', args: ['--bucket', 'b', '--object', '/canary.json'], message: /starts with "\/"/ },
  ])('$name: exit 1 with the reason and the usage line, nothing sent', async ({ args, message }) => {
    const run = await runCli([...args, '--endpoint', emulator.url]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    const [reason, usage] = lines(run.stderr);
    expect(reason).toMatch(/^edge-canary upload: /);
    expect(reason).toMatch(message);
    expect(usage).toMatch(/^usage: npm run upload -- --bucket B --object O/);
    expect(emulator.requestLog()).toEqual([]);
  });

  it('storage down: exit 2 within a few seconds, one line on stderr', async () => {
    const dead = await startEmulator({ port: 0 });
    await dead.close();
    const run = await runCli(['--bucket', 'b', '--object', 'o', '--endpoint', dead.url]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(lines(run.stderr)).toEqual([`edge-canary upload: cannot reach storage at ${dead.url}: connect ECONNREFUSED (3 attempts)`]);
    // Generous: three refused connections and 250 + 500 ms of backoff, plus Node and tsx start-up.
    expect(run.elapsedMs).toBeLessThan(8_000);
  });

  it('a refused write (missing bucket) is exit 2 and names the bucket', async () => {
    const run = await runCli(['--bucket', 'missing-bucket', '--object', 'o', '--endpoint', emulator.url]);
    expect(run.code).toBe(2);
    expect(lines(run.stderr).at(-1)).toMatch(/^edge-canary upload: storage refused writing gs:\/\/missing-bucket\/o: 404 .*bucket/);
  });

  it('--interval 0.05 writes repeatedly and exits 0 on SIGTERM after the write in flight', async () => {
    const child = spawnCli(writeArgs('cli/loop.json', '--interval', '0.05', '--json'));
    let signalled = false;
    const run = await collect(child, (soFar) => {
      if (!signalled && lines(soFar).length >= 4) {
        signalled = true;
        child.kill('SIGTERM');
      }
    });
    expect(run.code).toBe(0);
    const sequences = lines(run.stdout).map((line) => (JSON.parse(line) as { sequence: number }).sequence);
    expect(sequences.length).toBeGreaterThanOrEqual(4);
    expect(sequences).toEqual(sequences.map((_, index) => index + 1));
    expect(lines(run.stderr).at(-1)).toMatch(/^edge-canary upload: stopped after \d+ writes, 0 failed$/);
  });

  it('in --interval mode a failed write is logged and the loop keeps going', async () => {
    emulator.setFault({ type: 'status', status: 503, scope: 'all' });
    const child = spawnCli(writeArgs('cli/loop-failing.json', '--interval', '0.05', '--json'));
    let stderrSoFar = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderrSoFar += chunk.toString('utf8');
      if (lines(stderrSoFar).length === 2) emulator.clearFaults();
    });
    let signalled = false;
    const run = await collect(child, (soFar) => {
      if (!signalled && lines(soFar).length >= 1) {
        signalled = true;
        child.kill('SIGINT');
      }
    });
    expect(run.code).toBe(0);
    const failures = lines(run.stderr).filter((line) => line.includes('failed writing'));
    expect(failures.length).toBeGreaterThanOrEqual(2);
    expect(failures[0]).toMatch(/503 .*\(3 attempts\); next try in 0\.05 s$/);
    expect(JSON.parse(lines(run.stdout)[0] ?? '')).toMatchObject({ sequence: 1 });
  });
});

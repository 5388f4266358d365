import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Storage } from '@google-cloud/storage';
import { startEmulator } from '../../scripts/emulator';
import type { Emulator } from '../../scripts/emulator';
import { CanaryWriteError, UsageError, createStorage, readCanary, writeCanary } from '../../scripts/uploader';
import type { WriteCanaryOptions } from '../../scripts/uploader';

let emulator: Emulator;
let storage: Storage;
let objectCounter = 0;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, buckets: ['b'] });
  storage = createStorage({ endpoint: emulator.url });
});

afterAll(async () => {
  await emulator.close();
});

afterEach(() => {
  emulator.reset();
});

/** Each test gets its own object, so none depends on another's sequence. */
function freshObject(): string {
  objectCounter += 1;
  return `edge-canary/test-${objectCounter}.json`;
}

function options(object: string, extra: Partial<WriteCanaryOptions> = {}): WriteCanaryOptions {
  return { storage, bucket: 'b', object, writer: 'test@host', ...extra };
}

async function storedSequence(object: string): Promise<number | null> {
  const [bytes] = await storage.bucket('b').file(object).download();
  const reading = readCanary(bytes);
  return reading.readable ? reading.sequence : null;
}

function canaryText(sequence: number): string {
  return JSON.stringify({ kind: 'edge-canary', version: 1, written_at: new Date().toISOString(), sequence, writer: 'other@host' });
}

describe('writeCanary against the emulator', () => {
  it('writes sequence 1 first, then 2, each a new generation', async () => {
    const object = freshObject();
    const notices: string[] = [];
    const first = await writeCanary(options(object, { onNotice: (m) => notices.push(m) }));
    const second = await writeCanary(options(object, { onNotice: (m) => notices.push(m) }));
    expect([first.sequence, second.sequence]).toEqual([1, 2]);
    expect(BigInt(second.generation)).toBeGreaterThan(BigInt(first.generation));
    expect(notices).toEqual([`gs://b/${object} does not exist yet; writing sequence 1`]);
    expect(await storedSequence(object)).toBe(2);
  });

  it('stores the DESIGN.md §2 object with JSON content type and no-store caching', async () => {
    const object = freshObject();
    const now = new Date(Date.UTC(2026, 10, 26, 0, 39, 23, 123));
    const result = await writeCanary(options(object, { now: () => now }));
    const file = storage.bucket('b').file(object);
    const [metadata] = await file.getMetadata();
    expect(metadata.contentType).toBe('application/json');
    expect(metadata.cacheControl).toBe('no-store, max-age=0');
    expect(String(metadata.generation)).toBe(result.generation);
    const [bytes] = await file.download();
    expect(JSON.parse(bytes.toString('utf8'))).toEqual({
      kind: 'edge-canary',
      version: 1,
      written_at: '2026-11-26T00:39:23.123Z',
      sequence: 1,
      writer: 'test@host',
    });
    expect(result.writtenAt).toBe('2026-11-26T00:39:23.123Z');
  });

  it('uploads in one request with the generation precondition, then reads that generation back', async () => {
    const object = freshObject();
    emulator.clearLog();
    const result = await writeCanary(options(object));
    const log = emulator.requestLog().filter((entry) => entry.object === object);
    expect(log.map((entry) => `${entry.method} ${entry.status}`)).toEqual(['GET 404', 'POST 200', 'GET 200']);
    expect(log[1]?.path).toBe('/upload/storage/v1/b/b/o');
    expect(result).toMatchObject({ attempts: 1, conflicts: 0 });
  });

  it.each([
    ['a text file', 'not json'],
    ['another JSON document', '{"name":"requests","version":"2.32.0"}'],
    ['a file larger than a canary', 'x'.repeat(70 * 1024)],
  ])('refuses to overwrite %s and leaves it as it was', async (_name, content) => {
    const object = freshObject();
    emulator.putObject('b', object, content, { contentType: 'text/plain' });
    const failure = await writeCanary(options(object)).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(CanaryWriteError);
    expect((failure as CanaryWriteError).kind).toBe('rejected');
    expect((failure as Error).message).toContain(`gs://b/${object} is not a canary`);
    expect((failure as Error).message).toContain('pass --force to replace it');
    const [stored] = await storage.bucket('b').file(object).download();
    expect(stored.toString()).toBe(content);
  });

  it('refuses to overwrite an object whose content cannot be read intact, and leaves it as it was', async () => {
    const object = freshObject();
    const content = 'a real file, of which the read gets corrupted bytes';
    emulator.putObject('b', object, content, { contentType: 'text/plain' });
    emulator.setFault({ type: 'corrupt', scope: 'all', count: 1 });
    const failure = await writeCanary(options(object)).catch((error: unknown) => error);
    expect(failure).toMatchObject({ name: 'CanaryWriteError', kind: 'rejected' });
    expect((failure as Error).message).toContain('checksum');
    expect((failure as Error).message).toContain('pass --force to replace it');
    const [stored] = await storage.bucket('b').file(object).download();
    expect(stored.toString()).toBe(content);
  });

  it('with force, replaces an object that is not a canary with sequence 1 and says so', async () => {
    const object = freshObject();
    emulator.putObject('b', object, 'not json', { contentType: 'text/plain' });
    const notices: string[] = [];
    const result = await writeCanary(options(object, { force: true, onNotice: (m) => notices.push(m) }));
    expect(result.sequence).toBe(1);
    expect(notices).toEqual([`gs://b/${object} holds no readable canary (not JSON); writing sequence 1`]);
  });

  it('rewrites a damaged canary without force', async () => {
    const object = freshObject();
    emulator.putObject('b', object, '{"kind":"edge-canary","version":1,"sequence":4}', { contentType: 'application/json' });
    const result = await writeCanary(options(object));
    expect(result.sequence).toBe(1);
  });

  it('after another writer got in first (412), re-reads and writes past its sequence', async () => {
    const object = freshObject();
    await writeCanary(options(object));
    let raced = false;
    const notices: string[] = [];
    const result = await writeCanary(
      options(object, {
        onNotice: (m) => notices.push(m),
        beforeWrite: () => {
          if (raced) return;
          raced = true;
          emulator.putObject('b', object, canaryText(41), { contentType: 'application/json' });
        },
      }),
    );
    expect(result).toMatchObject({ sequence: 42, conflicts: 1 });
    expect(notices).toEqual([`gs://b/${object} changed since it was read (412, another writer?); re-reading and retrying once`]);
    expect(emulator.requestLog().some((entry) => entry.status === 412)).toBe(true);
    expect(await storedSequence(object)).toBe(42);
  });

  it('never writes a sequence below one it has seen, even when the other writer went backwards', async () => {
    const object = freshObject();
    emulator.putObject('b', object, canaryText(50), { contentType: 'application/json' });
    let raced = false;
    const result = await writeCanary(
      options(object, {
        beforeWrite: () => {
          if (raced) return;
          raced = true;
          emulator.putObject('b', object, canaryText(3), { contentType: 'application/json' });
        },
      }),
    );
    expect(result.sequence).toBe(51);
  });

  it('gives up after a second conflict without overwriting the other writer', async () => {
    const object = freshObject();
    let otherSequence = 100;
    const attempt = writeCanary(
      options(object, {
        beforeWrite: () => {
          otherSequence += 1;
          emulator.putObject('b', object, canaryText(otherSequence), { contentType: 'application/json' });
        },
      }),
    );
    await expect(attempt).rejects.toMatchObject({ name: 'CanaryWriteError', kind: 'conflict' });
    expect(await storedSequence(object)).toBe(otherSequence);
  });

  it('two writers racing both land, on distinct sequences, and the object ends on the higher one', async () => {
    const object = freshObject();
    const results = await Promise.all([writeCanary(options(object, { writer: 'a' })), writeCanary(options(object, { writer: 'b' }))]);
    expect(results.map((r) => r.sequence).sort()).toEqual([1, 2]);
    expect(await storedSequence(object)).toBe(2);
  });

  it('a read-back 404 because another writer superseded us with a higher sequence is success, superseded', async () => {
    const object = freshObject();
    await writeCanary(options(object));
    const notices: string[] = [];
    let live = '';
    const result = await writeCanary(
      options(object, {
        onNotice: (m) => notices.push(m),
        beforeReadBack: () => {
          live = emulator.putObject('b', object, canaryText(3), { contentType: 'application/json' }).generation;
        },
      }),
    );
    expect(result).toMatchObject({ sequence: 2, supersededBy: { sequence: 3, generation: live } });
    expect(notices).toEqual([
      `gs://b/${object} generation ${result.generation} (sequence 2) was replaced by generation ${live} (sequence 3) before it could be read back: another writer is writing too; the canary moved forward`,
    ]);
  });

  it.each([
    { name: 'a lower sequence', replace: (object: string) => void emulator.putObject('b', object, canaryText(1), { contentType: 'application/json' }), now: 'holds sequence 1, not above ours' },
    { name: 'nothing at all', replace: (object: string) => void emulator.removeObject('b', object), now: 'the object no longer exists' },
  ])('a read-back 404 with $name live is still verify_failed', async ({ replace, now }) => {
    const object = freshObject();
    await writeCanary(options(object));
    const attempt = writeCanary(options(object, { beforeReadBack: () => replace(object) }));
    await expect(attempt).rejects.toMatchObject({ kind: 'verify_failed' });
    await expect(attempt).rejects.toThrow(now);
  });

  it('never writes a lower sequence than it wrote before, even after the object was deleted', async () => {
    const object = freshObject();
    const sequenceFloor = { highest: 0 };
    await writeCanary(options(object, { sequenceFloor }));
    await writeCanary(options(object, { sequenceFloor }));
    emulator.removeObject('b', object);
    const notices: string[] = [];
    const afterDeletion = await writeCanary(options(object, { sequenceFloor, onNotice: (m) => notices.push(m) }));
    expect(afterDeletion.sequence).toBe(3);
    expect(notices).toEqual([`gs://b/${object} does not exist yet; writing sequence 3 (this uploader already wrote or saw 2; sequences never go back)`]);
    expect(await storedSequence(object)).toBe(3);
  });

  it('retries a 503 and succeeds', async () => {
    const object = freshObject();
    emulator.setFault({ type: 'status', status: 503, count: 2, scope: 'all' });
    const result = await writeCanary(options(object, { backoffMs: 10 }));
    expect(result).toMatchObject({ sequence: 1, attempts: 3 });
  });

  it('reports a storage that keeps failing after the bounded attempts', async () => {
    const object = freshObject();
    emulator.setFault({ type: 'status', status: 503, scope: 'all' });
    const attempt = writeCanary(options(object, { backoffMs: 10 }));
    await expect(attempt).rejects.toBeInstanceOf(CanaryWriteError);
    await expect(attempt).rejects.toMatchObject({ kind: 'server_error', attempts: 3 });
    await expect(attempt).rejects.toThrow(/^storage at http:\/\/127\.0\.0\.1:\d+ failed writing gs:\/\/b\/edge-canary\/test-\d+\.json: 503 .* \(3 attempts\)$/);
  });

  it('does not retry a missing bucket', async () => {
    emulator.clearLog();
    const attempt = writeCanary({ storage, bucket: 'no-such-bucket', object: 'canary.json', writer: 'w', backoffMs: 10 });
    await expect(attempt).rejects.toMatchObject({ kind: 'rejected', attempts: 1 });
    await expect(attempt).rejects.toThrow(/^storage refused writing gs:\/\/no-such-bucket\/canary\.json: 404 /);
    expect(emulator.requestLog().filter((entry) => entry.method === 'POST')).toHaveLength(1);
  });

  it('fails the write when the read-back is not what was sent', async () => {
    const object = freshObject();
    emulator.setFault({ type: 'corrupt', scope: 'all', count: 1 });
    const attempt = writeCanary(options(object));
    await expect(attempt).rejects.toMatchObject({ kind: 'verify_failed' });
    await expect(attempt).rejects.toThrow(/^write to gs:\/\/b\/.* not confirmed: generation \d+ read back does not match its checksum$/);
  });

  it('refuses a pattern-like object name before sending anything', async () => {
    emulator.clearLog();
    await expect(writeCanary(options('edge-canary/*.json'))).rejects.toBeInstanceOf(UsageError);
    expect(emulator.requestLog()).toEqual([]);
  });

  it('gives up on a storage that accepts the connection but never answers', async () => {
    emulator.setFault({ type: 'hang', scope: 'all' });
    const impatient = createStorage({ endpoint: emulator.url, requestTimeoutMs: 200 });
    const attempt = writeCanary({ ...options(freshObject()), storage: impatient, backoffMs: 10 });
    await expect(attempt).rejects.toMatchObject({ kind: 'unreachable', attempts: 3 });
    await expect(attempt).rejects.toThrow(`cannot reach storage at ${emulator.url}: no answer within the request timeout (3 attempts)`);
  });

  it('stops within a few seconds when nothing listens on the endpoint', async () => {
    const dead = await startEmulator({ port: 0 });
    await dead.close();
    const started = performance.now();
    const attempt = writeCanary({ ...options('canary.json'), storage: createStorage({ endpoint: dead.url }) });
    await expect(attempt).rejects.toThrow(`cannot reach storage at ${dead.url}: connect ECONNREFUSED (3 attempts)`);
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});

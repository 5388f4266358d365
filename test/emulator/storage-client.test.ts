import { Storage } from '@google-cloud/storage';
import { CRC32C } from '@google-cloud/storage';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator } from '../../scripts/emulator';
import type { Emulator } from '../../scripts/emulator';
import { crc32cBase64 } from '../../scripts/emulator/crc32c';

const BUCKET = 'edge-canary-local';
const OBJECT = 'edge-canary/canary.json';
const METADATA = { contentType: 'application/json', cacheControl: 'no-store, max-age=0' };

let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, buckets: [BUCKET] });
});
afterAll(() => emulator.close());
beforeEach(() => {
  emulator.reset();
  emulator.removeObject(BUCKET, OBJECT);
});

function errorCode(error: unknown): unknown {
  return (error as { code?: unknown }).code;
}

describe.each([
  ['apiEndpoint', (): Storage => new Storage({ apiEndpoint: emulator.url, projectId: 'test' }), '/storage/v1/b/'],
  ['STORAGE_EMULATOR_HOST', (): Storage => {
    const previous = process.env.STORAGE_EMULATOR_HOST;
    process.env.STORAGE_EMULATOR_HOST = emulator.url;
    try {
      return new Storage({ projectId: 'test' });
    } finally {
      if (previous === undefined) delete process.env.STORAGE_EMULATOR_HOST;
      else process.env.STORAGE_EMULATOR_HOST = previous;
    }
  }, '/b/'],
])('@google-cloud/storage via %s works unchanged', (_label, makeStorage, jsonPrefix) => {
  it('save (multipart, ifGenerationMatch 0), getMetadata, download, exists', async () => {
    const file = makeStorage().bucket(BUCKET).file(OBJECT);
    const body = '{"kind":"edge-canary","version":1,"written_at":"2026-01-01T00:00:00.000Z","sequence":1}';
    expect(await file.exists()).toEqual([false]);

    await file.save(body, { resumable: false, metadata: METADATA, preconditionOpts: { ifGenerationMatch: 0 } });

    const [metadata] = await file.getMetadata();
    expect(metadata).toMatchObject({
      name: OBJECT,
      bucket: BUCKET,
      contentType: 'application/json',
      cacheControl: 'no-store, max-age=0',
      size: String(body.length),
      crc32c: crc32cBase64(Buffer.from(body)),
      metageneration: '1',
    });
    expect(metadata.generation).toMatch(/^\d+$/);
    expect((await file.download())[0].toString()).toBe(body);
    expect(await file.exists()).toEqual([true]);

    const log = emulator.requestLog();
    expect(log.every((e) => e.auth === 'json')).toBe(true);
    expect(log.some((e) => e.method === 'POST' && e.path === `/upload/storage/v1/b/${BUCKET}/o`)).toBe(true);
    expect(log.some((e) => e.method === 'GET' && e.path.startsWith(`${jsonPrefix}${BUCKET}/o/`))).toBe(true);
    // The client deletes an upload whose crc32c it cannot confirm; it must not have.
    expect(log.some((e) => e.method === 'DELETE')).toBe(false);
  });

  it('the next write preconditioned on the current generation succeeds and bumps it', async () => {
    const file = makeStorage().bucket(BUCKET).file(OBJECT);
    await file.save('one', { resumable: false, metadata: METADATA, preconditionOpts: { ifGenerationMatch: 0 } });
    const first = Number((await file.getMetadata())[0].generation);
    await file.save('two', { resumable: false, metadata: METADATA, preconditionOpts: { ifGenerationMatch: first } });
    const [after] = await file.getMetadata();
    expect(Number(after.generation)).toBeGreaterThan(first);
    expect((await file.download())[0].toString()).toBe('two');
  });

  it('a wrong ifGenerationMatch is 412 and leaves the object alone', async () => {
    const file = makeStorage().bucket(BUCKET).file(OBJECT);
    await file.save('original', { resumable: false, metadata: METADATA, preconditionOpts: { ifGenerationMatch: 0 } });
    const error = await file
      .save('clobber', { resumable: false, metadata: METADATA, preconditionOpts: { ifGenerationMatch: 0 } })
      .then(() => null, (e: unknown) => e);
    expect(errorCode(error)).toBe(412);
    expect(emulator.requestLog().some((e) => e.verdict === 'conditionNotMet' && e.status === 412)).toBe(true);
    expect((await file.download())[0].toString()).toBe('original');
  });
});

describe('@google-cloud/storage against emulator faults and state', () => {
  const storage = (): Storage => new Storage({ apiEndpoint: emulator.url, projectId: 'test' });

  it('a missing bucket is 404 for the client', async () => {
    const error = await storage().bucket('no-such-bucket').file('x').save('x', { resumable: false, preconditionOpts: { ifGenerationMatch: 0 } }).then(() => null, (e: unknown) => e);
    expect(errorCode(error)).toBe(404);
  });

  it('bucket metadata is served', async () => {
    const [metadata] = await storage().bucket(BUCKET).getMetadata();
    expect(metadata).toMatchObject({ kind: 'storage#bucket', name: BUCKET });
  });

  it('the client rejects a JSON download whose body was corrupted (so x-goog-hash is really checked)', async () => {
    const file = storage().bucket(BUCKET).file(OBJECT);
    await file.save('{"sequence":41}', { resumable: false, metadata: METADATA, preconditionOpts: { ifGenerationMatch: 0 } });
    emulator.setFault({ type: 'corrupt', scope: 'all', count: 1 });
    const error = await file.download().then(() => null, (e: unknown) => e);
    expect(errorCode(error)).toBe('CONTENT_DOWNLOAD_MISMATCH');
    expect((await file.download())[0].toString()).toBe('{"sequence":41}');
  });

  it('resumable uploads are refused with 501, not silently mishandled', async () => {
    const error = await storage().bucket(BUCKET).file(OBJECT).save('x', { resumable: true }).then(() => null, (e: unknown) => e);
    expect(String((error as Error).message)).toMatch(/501/);
    expect(emulator.requestLog().at(-1)).toMatchObject({ verdict: 'notImplemented', status: 501 });
    expect(await storage().bucket(BUCKET).file(OBJECT).exists()).toEqual([false]);
  });

  it('list and delete work', async () => {
    const bucket = storage().bucket(BUCKET);
    await bucket.file('list/a').save('a', { resumable: false });
    await bucket.file('list/b').save('b', { resumable: false });
    const [files] = await bucket.getFiles({ prefix: 'list/' });
    expect(files.map((f) => f.name)).toEqual(['list/a', 'list/b']);
    await bucket.file('list/a').delete();
    expect(await bucket.file('list/a').exists()).toEqual([false]);
  });
});

describe('CRC32C', () => {
  it.each([
    ['', 'AAAAAA=='],
    ['123456789', Buffer.from('e3069283', 'hex').toString('base64')],
  ])('%j → %s', (text, expected) => {
    expect(crc32cBase64(Buffer.from(text))).toBe(expected);
  });

  it('agrees with the client library on arbitrary bytes', () => {
    const data = Buffer.from(Array.from({ length: 4099 }, (_, i) => (i * 7919) % 256));
    const reference = new CRC32C();
    reference.update(data);
    expect(crc32cBase64(data)).toBe(reference.toString());
  });
});

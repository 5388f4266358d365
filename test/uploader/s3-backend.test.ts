import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator } from '../../scripts/emulator';
import type { Emulator } from '../../scripts/emulator';
import { readCanary, writeCanary } from '../../scripts/uploader';
import { s3Backend } from '../../scripts/uploader/s3-backend';
import type { S3Target } from '../../scripts/uploader/s3-backend';
import { emulatorS3Client } from '../support/s3-client';

const KEY = { accessId: 'AKIAS3BACKENDTEST', secret: 's3-backend-test-secret' };
const OBJECT = 'edge-canary/canary.json';

let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, hmacKeys: [KEY], s3Buckets: [{ name: 'files-b2', provider: 'b2' }, { name: 'files-r2', provider: 'r2' }] });
});
afterAll(() => emulator.close());
beforeEach(() => {
  emulator.reset();
  emulator.removeObject('files-b2', OBJECT);
  emulator.removeObject('files-r2', OBJECT);
});

function backendFor(bucket: string, provider: S3Target['provider'], notices: string[] = []) {
  const client = emulatorS3Client({ url: emulator.url, ...KEY });
  return s3Backend(client, { bucket, object: OBJECT, provider, host: 'emulator', endpoint: emulator.url }, (m) => notices.push(m));
}

const canaryText = (sequence: number): string => JSON.stringify({ kind: 'edge-canary', version: 1, written_at: '2026-01-01T00:00:00.000Z', sequence, writer: 'other' });

describe('S3-compatible writes through the emulator', () => {
  it('B2 answers the first read 403 (missing, key may not list): the uploader says why and creates it with If-None-Match', async () => {
    const notices: string[] = [];
    const result = await writeCanary({ backend: backendFor('files-b2', 'b2', notices), bucket: 'files-b2', object: OBJECT, writer: 'test' });
    expect(result).toMatchObject({ sequence: 1, versionKind: 'etag' });
    expect(notices.join('\n')).toContain('403 AccessDenied to the read: either it does not exist and the key may not list the bucket');
    const put = emulator.requestLog().find((e) => e.method === 'PUT');
    expect(put).toMatchObject({ status: 200, verdict: 'ok' });
  });

  it('a writer racing between read and write gets a 412 on If-Match; the uploader re-reads and writes past it', async () => {
    emulator.putObject('files-r2', OBJECT, canaryText(5));
    const result = await writeCanary({
      backend: backendFor('files-r2', 'r2'),
      bucket: 'files-r2',
      object: OBJECT,
      writer: 'test',
      beforeWrite: (current) => {
        if (current.state === 'canary' && current.sequence === 5) emulator.putObject('files-r2', OBJECT, canaryText(9));
      },
    });
    expect(result).toMatchObject({ sequence: 10, conflicts: 1 });
    expect(emulator.requestLog().filter((e) => e.verdict === 'PreconditionFailed')).toHaveLength(1);
  });

  it('a canary replaced before its read-back counts as superseded by the newer sequence', async () => {
    const result = await writeCanary({
      backend: backendFor('files-r2', 'r2'),
      bucket: 'files-r2',
      object: OBJECT,
      writer: 'test',
      beforeReadBack: () => {
        emulator.putObject('files-r2', OBJECT, canaryText(50));
      },
    });
    expect(result.sequence).toBe(1);
    expect(result.supersededBy).toMatchObject({ sequence: 50 });
  });

  it('refuses to overwrite an object that is not a canary', async () => {
    emulator.putObject('files-r2', OBJECT, '<html>not a canary</html>');
    await expect(writeCanary({ backend: backendFor('files-r2', 'r2'), bucket: 'files-r2', object: OBJECT, writer: 'test' })).rejects.toMatchObject({ kind: 'rejected' });
    expect(readCanary(Buffer.from('<html>not a canary</html>')).readable).toBe(false);
    expect(emulator.requestLog().filter((e) => e.method === 'PUT')).toEqual([]);
  });
});

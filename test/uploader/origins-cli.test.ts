import { GetObjectCommand } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import { Storage } from '@google-cloud/storage';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator } from '../../scripts/emulator';
import type { Emulator } from '../../scripts/emulator';
import { crc32cBase64 } from '../../scripts/emulator/crc32c';
import { localServerToml } from '../support/manifest-toml';
import { emulatorS3Client } from '../support/s3-client';
import { makeTempDir } from '../support/temp-dir';
import type { TempDir } from '../support/temp-dir';
import { cleanEnv, lines, runCli } from './run-cli';

const ARCHIVE_KEY = { accessId: 'AKIAUPLOADARCHIVE', secret: 'uploader-archive-secret' };
const OBJECT = 'edge-canary/canary.json';
const ORIGINS = [
  { role: 'primary', backend: 'gcs', bucket: 'files-gcs', object: OBJECT, credential: 'primary' },
  { role: 'fallback', backend: 'archive', bucket: 'files-archive', object: OBJECT, signing: 'aws4', host: 's3.us-west-2.amazonaws.com', url_style: 'virtual', region: 'us-west-2', provider: 's3', credential: 'archive' },
];
const archiveEnv = { EDGE_CANARY_ARCHIVE_ACCESS_KEY_ID: ARCHIVE_KEY.accessId, EDGE_CANARY_ARCHIVE_SECRET_ACCESS_KEY: ARCHIVE_KEY.secret };

let emulator: Emulator;
let dir: TempDir;
let originsFile: string;
let s3: S3Client;
let storage: Storage;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, buckets: ['files-gcs'], hmacKeys: [ARCHIVE_KEY], s3Buckets: [{ name: 'files-archive', provider: 's3', region: 'us-west-2' }] });
  dir = makeTempDir('upload-origins-');
  originsFile = dir.write('origins.json', JSON.stringify(ORIGINS));
  s3 = emulatorS3Client({ url: emulator.url, ...ARCHIVE_KEY, region: 'us-west-2' });
  storage = new Storage({ apiEndpoint: emulator.url, projectId: 'test' });
});
afterAll(async () => {
  s3.destroy();
  dir.remove();
  await emulator.close();
});
beforeEach(() => {
  emulator.reset();
  emulator.removeObject('files-gcs', OBJECT);
  emulator.removeObject('files-archive', OBJECT);
});

const upload = (...extra: string[]) => runCli(['--origins', originsFile, '--endpoint', emulator.url, '--json', ...extra], cleanEnv(archiveEnv));

async function readBoth(): Promise<{ gcs: string; s3: string; s3Crc: string | undefined }> {
  const [gcsBytes] = await storage.bucket('files-gcs').file(OBJECT).download();
  const answer = await s3.send(new GetObjectCommand({ Bucket: 'files-archive', Key: OBJECT, ChecksumMode: 'ENABLED' }));
  return { gcs: gcsBytes.toString('utf8'), s3: (await answer.Body?.transformToString()) ?? '', s3Crc: answer.ChecksumCRC32C };
}

describe('npm run upload --origins (GCS primary, S3 archive fallback)', () => {
  it('writes the same canary to both, and both SDKs read it back unchanged (with its CRC32C on S3)', async () => {
    const run = await upload();
    expect(run.code, run.stderr).toBe(0);
    const tick = JSON.parse(lines(run.stdout)[0] ?? '{}') as { sequence: number; written: number; origins: Array<Record<string, unknown>> };
    expect(tick).toMatchObject({ sequence: 1, written: 2, failed: 0 });
    expect(tick.origins.map((o) => [o.origin, o.ok, o.sequence, o.version_kind])).toEqual([['primary', true, 1, 'generation'], ['fallback', true, 1, 'etag']]);
    const both = await readBoth();
    expect(both.s3).toBe(both.gcs);
    expect(JSON.parse(both.gcs)).toMatchObject({ kind: 'edge-canary', sequence: 1 });
    expect(both.s3Crc).toBe(crc32cBase64(Buffer.from(both.s3)));
    const puts = emulator.requestLog().filter((e) => e.method === 'PUT');
    expect(puts).toEqual([expect.objectContaining({ bucket: 'files-archive', auth: 'aws4', accessId: ARCHIVE_KEY.accessId, status: 200 })]);
  });

  it('the next tick writes max(all origins) + 1 to every origin, even when one was ahead', async () => {
    emulator.putObject('files-archive', OBJECT, JSON.stringify({ kind: 'edge-canary', version: 1, written_at: '2026-01-01T00:00:00.000Z', sequence: 41, writer: 'x' }));
    const run = await upload();
    expect(run.code, run.stderr).toBe(0);
    const both = await readBoth();
    expect(both.s3).toBe(both.gcs);
    expect(JSON.parse(both.s3)).toMatchObject({ sequence: 42 });
  });

  it('one origin failing does not stop the other: exit 2, the failure named per origin', async () => {
    emulator.rotateKey(ARCHIVE_KEY.accessId);
    const run = await upload();
    expect(run.code).toBe(2);
    const tick = JSON.parse(lines(run.stdout)[0] ?? '{}') as { written: number; failed: number; origins: Array<Record<string, unknown>> };
    expect(tick).toMatchObject({ written: 1, failed: 1 });
    expect(tick.origins[0]).toMatchObject({ origin: 'primary', ok: true, sequence: 1 });
    expect(tick.origins[1]).toMatchObject({ origin: 'fallback', ok: false, failure: 'rejected' });
    expect(String(tick.origins[1]?.error)).toContain('SignatureDoesNotMatch');
    const [gcsBytes] = await storage.bucket('files-gcs').file(OBJECT).download();
    expect(JSON.parse(gcsBytes.toString('utf8'))).toMatchObject({ sequence: 1 });
    expect(run.stdout + run.stderr).not.toContain(ARCHIVE_KEY.secret);
  });

  it('without --json: a line per written origin on stdout, the failed one on stderr', async () => {
    emulator.setFault({ type: 'status', status: 503, scope: 'all' });
    const run = await runCli(['--origins', originsFile, '--endpoint', emulator.url], cleanEnv(archiveEnv));
    emulator.clearFaults();
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/origin primary: NOT written \(server_error\)/);
    expect(run.stderr).toMatch(/origin fallback: NOT written \(server_error\)/);
  });

  it.each([
    { name: 'unknown field', origins: [{ ...ORIGINS[0], colour: 'red' }], message: 'origins[0].colour: unknown field' },
    { name: 'two primaries', origins: [ORIGINS[0], { ...ORIGINS[1], role: 'primary' }], message: 'exactly one entry must have "role":"primary" (got 2)' },
    { name: 'bad provider', origins: [ORIGINS[0], { ...ORIGINS[1], provider: 'azure' }], message: 'origins[1].provider: must be one of gcs, s3, b2, r2, other' },
    { name: 'S3 host without provider', origins: [{ role: 'primary', bucket: 'b', object: 'o', host: 's3.us-west-2.amazonaws.com' }], message: 'origins[0].provider: required' },
  ])('a bad origins file ($name) is exit 1 naming the origin and field, nothing sent', async ({ origins, message }) => {
    const file = dir.write('bad.json', JSON.stringify(origins));
    const run = await runCli(['--origins', file, '--endpoint', emulator.url], cleanEnv(archiveEnv));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(message);
    expect(emulator.requestLog()).toEqual([]);
  });

  it('--manifest reads the origins value of the local canary_config store', async () => {
    const manifest = dir.write('fastly.toml', localServerToml({ config: { origins: JSON.stringify(ORIGINS) } }));
    const run = await runCli(['--manifest', manifest, '--endpoint', emulator.url, '--json'], cleanEnv(archiveEnv));
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(lines(run.stdout)[0] ?? '{}')).toMatchObject({ sequence: 1, written: 2, failed: 0 });
    const without = dir.write('plain.toml', localServerToml({ config: { bucket: 'b', object: 'o' } }));
    const refused = await runCli(['--manifest', without], cleanEnv());
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('has no "origins" value');
  });

  it('--dry-run names every origin and its store, and sends nothing', async () => {
    const run = await runCli(['--origins', originsFile, '--dry-run'], cleanEnv());
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('origin primary: would write gs://files-gcs/edge-canary/canary.json');
    expect(run.stdout).toContain('origin fallback: would write s3://files-archive/edge-canary/canary.json (s3, s3.us-west-2.amazonaws.com)');
    expect(emulator.requestLog()).toEqual([]);
  });

  it('--origins together with --bucket is a usage error', async () => {
    const run = await runCli(['--origins', originsFile, '--bucket', 'b', '--object', 'o'], cleanEnv());
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('--origins and --bucket/--object both name the canary');
  });
});

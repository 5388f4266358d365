import { createHash } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator } from '../../scripts/emulator';
import type { Emulator } from '../../scripts/emulator';
import { crc32cBase64 } from '../../scripts/emulator/crc32c';
import { goog4Headers } from './hand-signers';
import { control, rawRequest, xmlCode } from './http-client';
import type { RawResponse } from './http-client';

const KEY = { accessId: 'GOOG1ECONTROLTEST', secret: 'control-test-secret-value' };
const BUCKET = 'edge-canary-local';
const OBJECT = 'edge-canary/canary.json';
const BODY = '{"kind":"edge-canary","version":1,"written_at":"2026-01-01T00:00:00.000Z","sequence":19,"writer":"w"}';
const PATH = `/${BUCKET}/${OBJECT}`;
const HOST = 'storage.googleapis.com';

let emulator: Emulator;
const controlCalls: unknown[] = [];

async function ctl(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const result = await control(emulator.port, method, path, body);
  controlCalls.push(result.json);
  return result;
}

const read = (key = KEY): Promise<RawResponse> =>
  rawRequest({ port: emulator.port, path: PATH, headers: goog4Headers({ ...key, host: HOST, path: PATH, time: Date.now() }) });

const readCode = async (): Promise<[number, string | null]> => {
  const res = await read();
  return [res.status, res.status === 200 ? 'ok' : xmlCode(res.body)];
};

const jsonMetadata = (): Promise<RawResponse> =>
  rawRequest({ port: emulator.port, path: `/storage/v1/b/${BUCKET}/o/${encodeURIComponent(OBJECT)}`, headers: { Host: `127.0.0.1:${emulator.port}` } });

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, buckets: [BUCKET], hmacKeys: [KEY] });
});
afterAll(async () => {
  await emulator.close();
  expect(JSON.stringify(controlCalls)).not.toContain(KEY.secret);
});
beforeEach(async () => {
  expect((await ctl('POST', '/reset')).status).toBe(200);
  emulator.createBucket(BUCKET);
  emulator.putObject(BUCKET, OBJECT, BODY, { contentType: 'application/json', cacheControl: 'no-store, max-age=0' });
  emulator.clearLog();
});

describe('faults', () => {
  it('status with count: the next N object reads get it, then reads recover', async () => {
    expect((await ctl('POST', '/faults', { type: 'status', status: 503, count: 2 })).status).toBe(201);
    expect(await readCode()).toEqual([503, 'ServiceUnavailable']);
    expect(await readCode()).toEqual([503, 'ServiceUnavailable']);
    expect(await readCode()).toEqual([200, 'ok']);
    expect(emulator.requestLog().map((e) => e.verdict)).toEqual(['ServiceUnavailable', 'ServiceUnavailable', 'ok']);
  });

  it('status without count lasts until DELETE /faults', async () => {
    await ctl('POST', '/faults', { type: 'status', status: 500 });
    for (let i = 0; i < 3; i++) expect(await readCode()).toEqual([500, 'InternalError']);
    expect((await ctl('GET', '/faults')).json).toMatchObject([{ type: 'status', status: 500, remaining: null, scope: 'object-reads' }]);
    await ctl('DELETE', '/faults');
    expect(await readCode()).toEqual([200, 'ok']);
  });

  it('faults hit XML object reads only, so the JSON API (the uploader) keeps working', async () => {
    await ctl('POST', '/faults', { type: 'status', status: 503 });
    expect((await jsonMetadata()).status).toBe(200);
    expect((await read()).status).toBe(503);
  });

  it('scope "all" hits the JSON API too, in its JSON error shape', async () => {
    await ctl('POST', '/faults', { type: 'status', status: 503, scope: 'all', count: 1 });
    const res = await jsonMetadata();
    expect(res.status).toBe(503);
    expect(JSON.parse(res.body)).toMatchObject({ error: { code: 503, errors: [{ reason: 'backendError' }] } });
    expect((await jsonMetadata()).status).toBe(200);
  });

  it('reset destroys the connection without an answer', async () => {
    await ctl('POST', '/faults', { type: 'reset', count: 1 });
    await expect(read()).rejects.toMatchObject({ code: expect.stringMatching(/ECONNRESET|ECONNREFUSED|EPIPE/) });
    expect(emulator.requestLog().at(-1)).toMatchObject({ verdict: 'reset', status: 0, fault: 'reset' });
    expect(await readCode()).toEqual([200, 'ok']);
  });

  it('garbage: 200, a body that is not JSON, headers that match that body', async () => {
    await ctl('POST', '/faults', { type: 'garbage', count: 1 });
    const res = await read();
    expect(res.status).toBe(200);
    expect(() => JSON.parse(res.body)).toThrow();
    const bytes = Buffer.from(res.body);
    expect(res.headers['x-goog-hash']).toBe(`crc32c=${crc32cBase64(bytes)},md5=${createHash('md5').update(bytes).digest('base64')}`);
    expect(res.headers['content-length']).toBe(String(bytes.length));
    expect(emulator.requestLog().at(-1)).toMatchObject({ verdict: 'garbage', status: 200 });
  });

  it('corrupt: 200, altered body of the same length, the stored object\'s old x-goog-hash', async () => {
    const clean = await read();
    await ctl('POST', '/faults', { type: 'corrupt', count: 1 });
    const res = await read();
    expect(res.status).toBe(200);
    expect(res.body).not.toBe(BODY);
    expect(res.body.length).toBe(BODY.length);
    expect(() => JSON.parse(res.body)).not.toThrow();
    expect(res.headers['x-goog-hash']).toBe(clean.headers['x-goog-hash']);
    expect(res.headers['x-goog-hash']).not.toContain(crc32cBase64(Buffer.from(res.body)));
    expect((await read()).body).toBe(BODY);
  });

  it('a corrupt fault is not used up by a read that fails', async () => {
    await ctl('POST', '/faults', { type: 'corrupt', count: 1 });
    expect((await read({ ...KEY, secret: 'wrong' })).status).toBe(403);
    expect((await read()).body).not.toBe(BODY);
  });

  it('faults queue in order', async () => {
    await ctl('POST', '/faults', { type: 'status', status: 502, count: 1 });
    await ctl('POST', '/faults', { type: 'garbage', count: 1 });
    expect((await read()).status).toBe(502);
    expect((await read()).body).not.toBe(BODY);
    expect((await read()).body).toBe(BODY);
  });

  it('a fault with "bucket" hits that bucket only: one origin of several answers 503, the others read fine', async () => {
    emulator.createBucket('other-bucket');
    emulator.putObject('other-bucket', OBJECT, BODY, { contentType: 'application/json' });
    expect((await ctl('POST', '/faults', { type: 'status', status: 503, bucket: 'other-bucket' })).json).toMatchObject({ bucket: 'other-bucket', remaining: null });
    expect(await readCode()).toEqual([200, 'ok']);
    const otherPath = `/other-bucket/${OBJECT}`;
    const other = await rawRequest({ port: emulator.port, path: otherPath, headers: goog4Headers({ ...KEY, host: HOST, path: otherPath, time: Date.now() }) });
    expect([other.status, xmlCode(other.body)]).toEqual([503, 'ServiceUnavailable']);
    expect(await readCode()).toEqual([200, 'ok']);
  });

  it.each([
    [{ type: 'status', status: 503, bucket: '' }, /"bucket" must be a bucket name/],
    [{ type: 'explode' }, /fault type/],
    [{ type: 'status' }, /status/],
    [{ type: 'hang', count: 0 }, /count/],
    [{ type: 'hang', scope: 'some' }, /scope/],
    ['not an object', /JSON object/],
  ])('invalid fault %j is 400 with a message', async (body, message) => {
    const res = await ctl('POST', '/faults', body);
    expect(res.status).toBe(400);
    expect((res.json as { error: { message: string } }).error.message).toMatch(message);
  });
});

describe('hang', () => {
  let hanging: Emulator;
  beforeEach(async () => {
    hanging = await startEmulator({ port: 0, buckets: [BUCKET], hmacKeys: [KEY] });
    hanging.putObject(BUCKET, OBJECT, BODY);
  });
  afterEach(() => hanging.close());

  it('holds the request open without answering, and close() still finishes', async () => {
    hanging.setFault({ type: 'hang' });
    let settled = false;
    const pending = rawRequest({ port: hanging.port, path: PATH, headers: goog4Headers({ ...KEY, host: HOST, path: PATH, time: Date.now() }) })
      .finally(() => (settled = true));
    pending.catch(() => undefined);
    while (hanging.requestLog().length === 0) await new Promise((r) => setTimeout(r, 10));
    expect(hanging.requestLog()[0]).toMatchObject({ verdict: 'hang', status: 0 });
    // A second, unrelated request is still answered while the first hangs.
    expect((await control(hanging.port, 'GET', '/faults')).status).toBe(200);
    expect(settled).toBe(false);
    await hanging.close();
    await expect(pending).rejects.toThrow();
  });
});

describe('keys', () => {
  it('rotate: the old secret now gets SignatureDoesNotMatch; the answer holds no secret', async () => {
    const res = await ctl('POST', '/keys/rotate', { accessId: KEY.accessId });
    expect(res).toEqual({ status: 200, json: { accessId: KEY.accessId, rotated: true } });
    expect(await readCode()).toEqual([403, 'SignatureDoesNotMatch']);
    await ctl('POST', '/keys/restore');
    expect(await readCode()).toEqual([200, 'ok']);
  });

  it('delete: the access id is unknown (InvalidAccessKeyId)', async () => {
    expect((await ctl('DELETE', `/keys/${KEY.accessId}`)).status).toBe(200);
    expect(await readCode()).toEqual([403, 'InvalidAccessKeyId']);
    expect((await ctl('DELETE', `/keys/${KEY.accessId}`)).status).toBe(404);
  });

  it('add: a new key signs successfully and is listed by id only', async () => {
    const extra = { accessId: 'GOOG1EEXTRA', secret: 'extra-secret-value' };
    expect((await ctl('POST', '/keys', extra)).json).toEqual({ accessId: extra.accessId });
    expect((await read(extra)).status).toBe(200);
    expect((await ctl('GET', '/keys')).json).toEqual({ accessIds: [KEY.accessId, extra.accessId] });
    expect(JSON.stringify(controlCalls)).not.toContain(extra.secret);
  });

  it('rotating an unknown key is 404', async () => {
    expect((await ctl('POST', '/keys/rotate', { accessId: 'GOOG1ENOPE' })).status).toBe(404);
  });
});

describe('objects, buckets, clock, log, reset', () => {
  it('DELETE /objects/:bucket/:object → NoSuchKey', async () => {
    expect((await ctl('DELETE', `/objects/${BUCKET}/${OBJECT}`)).status).toBe(200);
    expect(await readCode()).toEqual([404, 'NoSuchKey']);
    expect((await ctl('DELETE', `/objects/${BUCKET}/${OBJECT}`)).status).toBe(404);
  });

  it('DELETE /buckets/:bucket → NoSuchBucket; POST recreates it empty', async () => {
    expect((await ctl('DELETE', `/buckets/${BUCKET}`)).status).toBe(200);
    expect(await readCode()).toEqual([404, 'NoSuchBucket']);
    expect((await ctl('POST', `/buckets/${BUCKET}`)).status).toBe(201);
    expect(await readCode()).toEqual([404, 'NoSuchKey']);
  });

  it('PUT /objects/:bucket/:object stores bytes with content type and cache control', async () => {
    const res = await rawRequest({ port: emulator.port, method: 'PUT', path: `/_emulator/objects/${BUCKET}/seeded.json`, headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }, body: '{"a":1}' });
    expect(res.status).toBe(201);
    const path = `/${BUCKET}/seeded.json`;
    const got = await rawRequest({ port: emulator.port, path, headers: goog4Headers({ ...KEY, host: HOST, path, time: Date.now() }) });
    expect([got.status, got.body, got.headers['cache-control'], got.headers['content-type']]).toEqual([200, '{"a":1}', 'no-store', 'application/json']);
  });

  it('POST /clock shifts the emulator clock past the skew window', async () => {
    expect((await ctl('POST', '/clock', { offsetMs: 1_200_000 })).json).toMatchObject({ offsetMs: 1_200_000 });
    expect(await readCode()).toEqual([403, 'RequestTimeTooSkewed']);
    expect((await ctl('GET', '/clock')).json).toMatchObject({ offsetMs: 1_200_000 });
  });

  it('GET /log lists API requests (not control calls) with their fields; DELETE clears it', async () => {
    await read();
    await rawRequest({ port: emulator.port, path: PATH, headers: { Host: `${BUCKET}.${HOST}` } });
    const log = (await ctl('GET', '/log')).json as Array<Record<string, unknown>>;
    expect(log).toHaveLength(2);
    expect(log[0]).toMatchObject({ method: 'GET', path: PATH, host: HOST, auth: 'goog4', verdict: 'ok', status: 200, bucket: BUCKET, object: OBJECT });
    expect(Date.parse(String(log[0]?.time))).not.toBeNaN();
    expect(log[1]).toMatchObject({ host: `${BUCKET}.${HOST}`, auth: 'none', verdict: 'AccessDenied', status: 403, bucket: BUCKET });
    await ctl('DELETE', '/log');
    expect((await ctl('GET', '/log')).json).toEqual([]);
  });

  it('POST /reset clears faults, clock offset and log, and restores keys', async () => {
    await ctl('POST', '/faults', { type: 'status', status: 503 });
    await ctl('POST', '/clock', { offsetMs: 3_600_000 });
    await ctl('POST', '/keys/rotate', { accessId: KEY.accessId });
    await read();
    await ctl('POST', '/reset');
    expect((await ctl('GET', '/log')).json).toEqual([]);
    expect(await readCode()).toEqual([200, 'ok']);
  });

  it.each([
    ['GET', '/nothing-here', 404],
    ['PUT', '/log', 405],
    ['POST', '/clock', 400],
    ['DELETE', '/objects/no-bucket/x', 404],
  ])('%s /_emulator%s → %i with a JSON error', async (method, path, status) => {
    const res = await ctl(method, path);
    expect(res.status).toBe(status);
    expect(res.json).toMatchObject({ error: { code: status, message: expect.any(String) } });
  });

  it('405 names the allowed methods', async () => {
    const res = await rawRequest({ port: emulator.port, method: 'PUT', path: '/_emulator/log' });
    expect(res.headers.allow).toBe('GET, DELETE');
  });
});

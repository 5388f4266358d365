import { createHash } from 'node:crypto';
import { connect } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator } from '../../scripts/emulator';
import type { Emulator } from '../../scripts/emulator';
import { crc32cBase64 } from '../../scripts/emulator/crc32c';
import { goog4Headers } from './hand-signers';
import { rawRequest, xmlCode } from './http-client';

const KEY = { accessId: 'GOOG1EXMLTEST', secret: 'xml-test-secret' };
const BUCKET = 'edge-canary-local';
const OBJECT = 'edge-canary/canary.json';
const BODY = '{"kind":"edge-canary","version":1,"written_at":"2026-01-01T00:00:00.000Z","sequence":7,"writer":"test"}';
const PATH = `/${BUCKET}/${OBJECT}`;
const HOST = 'storage.googleapis.com';

let emulator: Emulator;
let generation: string;

const signed = (path = PATH, host = HOST): Record<string, string> => goog4Headers({ ...KEY, host, path, time: Date.now() });

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, buckets: [BUCKET], hmacKeys: [KEY] });
  ({ generation } = emulator.putObject(BUCKET, OBJECT, BODY, { contentType: 'application/json', cacheControl: 'no-store, max-age=0', metadata: { writer: 'test' } }));
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

describe('XML API success answers', () => {
  it('GET carries the object and every GCS header the canary reads', async () => {
    const res = await rawRequest({ port: emulator.port, path: PATH, headers: signed() });
    const md5 = createHash('md5').update(BODY).digest('base64');
    expect(res.status).toBe(200);
    expect(res.body).toBe(BODY);
    expect(res.headers).toMatchObject({
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(BODY)),
      'cache-control': 'no-store, max-age=0',
      'x-goog-hash': `crc32c=${crc32cBase64(Buffer.from(BODY))},md5=${md5}`,
      'x-goog-generation': generation,
      'x-goog-metageneration': '1',
      'x-goog-stored-content-length': String(Buffer.byteLength(BODY)),
      'x-goog-stored-content-encoding': 'identity',
      'x-goog-meta-writer': 'test',
      etag: `"${createHash('md5').update(BODY).digest('hex')}"`,
    });
    expect(Date.parse(String(res.headers['last-modified']))).not.toBeNaN();
  });

  it('HEAD has the same headers and no body', async () => {
    const get = await rawRequest({ port: emulator.port, path: PATH, headers: signed() });
    const head = await rawRequest({ port: emulator.port, method: 'HEAD', path: PATH, headers: goog4Headers({ ...KEY, host: HOST, path: PATH, time: Date.now(), method: 'HEAD' }) });
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    for (const name of ['x-goog-hash', 'x-goog-generation', 'content-length', 'etag', 'cache-control', 'content-type']) {
      expect(head.headers[name], name).toBe(get.headers[name]);
    }
  });

  it('a public bucket answers unsigned reads', async () => {
    emulator.createBucket('public-bucket', { public: true });
    emulator.putObject('public-bucket', 'hello.txt', 'hi');
    const res = await rawRequest({ port: emulator.port, path: '/public-bucket/hello.txt', headers: { Host: HOST } });
    expect([res.status, res.body]).toEqual([200, 'hi']);
    expect(emulator.requestLog().at(-1)).toMatchObject({ auth: 'none', verdict: 'ok' });
  });
});

describe('XML API errors: code, status and log verdict', () => {
  it.each([
    ['unsigned request to the private bucket', 403, 'AccessDenied', () => ({ path: PATH, headers: { Host: HOST } })],
    ['missing object', 404, 'NoSuchKey', () => ({ path: `/${BUCKET}/nope.json`, headers: signed(`/${BUCKET}/nope.json`) })],
    ['missing bucket', 404, 'NoSuchBucket', () => ({ path: '/no-such-bucket/x.json', headers: signed('/no-such-bucket/x.json') })],
    ['old generation', 404, 'NoSuchKey', () => ({ path: `${PATH}?generation=1`, headers: goog4Headers({ ...KEY, host: HOST, path: PATH, query: 'generation=1', time: Date.now() }) })],
    ['malformed GOOG4 header', 400, 'InvalidArgument', () => ({ path: PATH, headers: { Host: HOST, Authorization: 'GOOG4-HMAC-SHA256 nonsense' } })],
    ['V2 header without a signature', 400, 'InvalidArgument', () => ({ path: PATH, headers: { Host: HOST, Authorization: 'GOOG1 idonly', Date: new Date().toUTCString() } })],
    ['unsupported scheme', 400, 'InvalidArgument', () => ({ path: PATH, headers: { Host: HOST, Authorization: 'Bearer ya29.token' } })],
    ['V4 without x-goog-date', 403, 'AccessDenied', () => {
      const { ['x-goog-date']: _dropped, ...headers } = signed();
      return { path: PATH, headers };
    }],
    ['V2 without any date', 403, 'InvalidAccessKeyId', () => ({ path: PATH, headers: { Host: HOST, Authorization: 'AWS id:c2ln' } })],
    ['bad percent-encoding', 400, 'InvalidArgument', () => ({ path: `/${BUCKET}/%E0%A4%A`, headers: { Host: HOST } })],
    ['PUT', 405, 'MethodNotAllowed', () => ({ path: PATH, method: 'PUT', headers: { Host: HOST } })],
    ['bucket without object', 501, 'NotImplemented', () => ({ path: `/${BUCKET}`, headers: signed(`/${BUCKET}`) })],
  ])('%s → %i %s', async (_label, status, code, make) => {
    const res = await rawRequest({ port: emulator.port, ...make() });
    expect([res.status, xmlCode(res.body)]).toEqual([status, code]);
    expect(res.headers['content-type']).toBe('application/xml; charset=UTF-8');
    expect(res.body.startsWith("<?xml version='1.0' encoding='UTF-8'?><Error><Code>")).toBe(true);
    expect(emulator.requestLog().at(-1)).toMatchObject({ verdict: code, status });
  });

  it('HEAD errors keep the status and send no body', async () => {
    const res = await rawRequest({ port: emulator.port, method: 'HEAD', path: `/${BUCKET}/nope`, headers: { Host: HOST } });
    expect([res.status, res.body]).toEqual([403, '']);
  });

  it('the 405 names the allowed methods', async () => {
    const res = await rawRequest({ port: emulator.port, method: 'DELETE', path: PATH, headers: { Host: HOST } });
    expect(res.headers.allow).toBe('GET, HEAD');
  });
});

describe('robustness: bad input never takes the emulator down', () => {
  const stillServing = async (): Promise<void> => {
    expect((await rawRequest({ port: emulator.port, path: PATH, headers: signed() })).status).toBe(200);
  };

  it('huge headers get 431', async () => {
    const res = await rawRequest({ port: emulator.port, path: PATH, headers: { Host: HOST, 'x-big': 'a'.repeat(64 * 1024) } }).catch(() => null);
    if (res) expect(res.status).toBe(431);
    await stillServing();
  });

  it('an absolute-form request target is read as its path', async () => {
    const res = await rawRequest({ port: emulator.port, path: `http://${HOST}${PATH}`, headers: { Host: HOST } });
    expect([res.status, xmlCode(res.body)]).toEqual([403, 'AccessDenied']);
    expect(emulator.requestLog().at(-1)).toMatchObject({ path: PATH, object: OBJECT });
  });

  it.each([
    'GARBAGE\r\n\r\n',
    'GET /x HTTP/1.1\r\nHost: a\r\nContent-Length: nope\r\n\r\n',
    `GET ${PATH} HTTP/1.1\r\nHost: ${HOST}\r\nAuthorization: AWS4-HMAC-SHA256 Credential=a/b/c/d/e, SignedHeaders=, Signature=zz\r\nConnection: close\r\n\r\n`,
    `GET ${PATH} HTTP/1.1\r\nHost: ${HOST}\r\nAuthorization: GOOG4-HMAC-SHA256 Credential=%ZZ/20200101/auto/storage/goog4_request, SignedHeaders=host, Signature=${'0'.repeat(64)}\r\nx-goog-date: 20200101T000000Z\r\nConnection: close\r\n\r\n`,
  ])('raw request %j gets an answer and the server lives', async (raw) => {
    const answer = await new Promise<string>((resolve) => {
      const socket = connect(emulator.port, '127.0.0.1', () => socket.end(raw));
      let text = '';
      socket.on('data', (chunk) => (text += chunk.toString()));
      socket.on('close', () => resolve(text));
      socket.on('error', () => resolve(text));
    });
    expect(answer).toMatch(/^HTTP\/1\.1 (4\d\d)/);
    await stillServing();
  });
});

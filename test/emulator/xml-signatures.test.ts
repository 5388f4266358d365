import aws4 from 'aws4';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator } from '../../scripts/emulator';
import type { Emulator } from '../../scripts/emulator';
import { goog4Headers, v2Headers } from './hand-signers';
import { rawRequest, xmlCode } from './http-client';

const KEY = { accessId: 'GOOG1ETESTKEY0000000000000000000000000000000000000000000000', secret: 'dGVzdC1zZWNyZXQtZm9yLXRoZS1lbXVsYXRvcg==' };
const BUCKET = 'canary-bucket';
const GCS_HOST = 'storage.googleapis.com';
const ODD_NAMES = ['plain.json', 'with space.json', 'plus+sign.json', 'unicodé/ünïcode-日本.json', 'tilde~name', 'dir/sub/deep.json', "it's(1)*!.txt"];

const encodePath = (name: string): string => name.split('/').map(encodeURIComponent).join('/');

let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, buckets: [BUCKET], hmacKeys: [KEY] });
  for (const name of ODD_NAMES) emulator.putObject(BUCKET, name, `body of ${name}`, { contentType: 'application/json' });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

function aws4Signed(host: string, path: string, secret = KEY.secret): Record<string, string> {
  const signed = aws4.sign({ host, path, method: 'GET', service: 's3', region: 'auto', headers: {} }, { accessKeyId: KEY.accessId, secretAccessKey: secret });
  return { ...(signed.headers as Record<string, string>), Host: host };
}

describe('AWS4-HMAC-SHA256 signatures made by the aws4 package', () => {
  it.each(ODD_NAMES)('path style %s is served', async (name) => {
    const path = `/${BUCKET}/${encodePath(name)}`;
    const res = await rawRequest({ port: emulator.port, path, headers: aws4Signed(GCS_HOST, path) });
    expect(res.status, res.body).toBe(200);
    expect(res.body).toBe(`body of ${name}`);
    expect(emulator.requestLog().at(-1)).toMatchObject({ auth: 'aws4', verdict: 'ok', bucket: BUCKET, object: name });
  });

  it.each(ODD_NAMES)('virtual-host style %s is served', async (name) => {
    const path = `/${encodePath(name)}`;
    const host = `${BUCKET}.${GCS_HOST}`;
    const res = await rawRequest({ port: emulator.port, path, headers: aws4Signed(host, path) });
    expect(res.status, res.body).toBe(200);
    expect(res.body).toBe(`body of ${name}`);
  });

  it('a tampered signature is SignatureDoesNotMatch and the error echoes what GCS echoes', async () => {
    const path = `/${BUCKET}/${encodePath('with space.json')}`;
    const headers = aws4Signed(GCS_HOST, path);
    const sig = /Signature=([0-9a-f]+)/.exec(headers.Authorization ?? '')?.[1] ?? '';
    headers.Authorization = (headers.Authorization ?? '').replace(sig, sig.slice(0, -1) + (sig.endsWith('0') ? '1' : '0'));
    const res = await rawRequest({ port: emulator.port, path, headers });
    expect(res.status).toBe(403);
    expect(xmlCode(res.body)).toBe('SignatureDoesNotMatch');
    expect(res.body).toContain('<StringToSign>AWS4-HMAC-SHA256');
    expect(res.body).toContain('<CanonicalRequest>GET\n/canary-bucket/with%20space.json');
  });

  it('a signature made with another secret is SignatureDoesNotMatch', async () => {
    const path = `/${BUCKET}/plain.json`;
    const res = await rawRequest({ port: emulator.port, path, headers: aws4Signed(GCS_HOST, path, 'not-the-secret') });
    expect([res.status, xmlCode(res.body)]).toEqual([403, 'SignatureDoesNotMatch']);
  });

  it('the Host actually received is what is verified: a signature for another host fails', async () => {
    const path = `/${BUCKET}/plain.json`;
    const headers = { ...aws4Signed(GCS_HOST, path), Host: `127.0.0.1:${emulator.port}` };
    const res = await rawRequest({ port: emulator.port, path, headers });
    expect([res.status, xmlCode(res.body)]).toEqual([403, 'SignatureDoesNotMatch']);
  });
});

describe('GOOG4-HMAC-SHA256 signatures computed by hand', () => {
  const path = `/${BUCKET}/${encodePath('with space.json')}`;

  it.each([
    ['path style', GCS_HOST, path],
    ['virtual-host style', `${BUCKET}.${GCS_HOST}`, `/${encodePath('with space.json')}`],
    ['the emulator address as host', '127.0.0.1:4443', path],
  ])('%s is accepted', async (_label, host, signedPath) => {
    const headers = goog4Headers({ ...KEY, host, path: signedPath, time: Date.now() });
    const res = await rawRequest({ port: emulator.port, path: signedPath, headers });
    expect(res.status, res.body).toBe(200);
    expect(emulator.requestLog().at(-1)).toMatchObject({ auth: 'goog4', verdict: 'ok', accessId: KEY.accessId });
  });

  it.each([
    ['wrong secret', { secret: 'wrong' }, 403, 'SignatureDoesNotMatch'],
    ['unknown access id', { accessId: 'GOOG1EUNKNOWN' }, 403, 'InvalidAccessKeyId'],
    ['request 16 minutes in the past', { time: Date.now() - 16 * 60_000 }, 403, 'RequestTimeTooSkewed'],
    ['request 16 minutes in the future', { time: Date.now() + 16 * 60_000 }, 403, 'RequestTimeTooSkewed'],
  ])('%s → %i %s', async (_label, change, status, code) => {
    const headers = goog4Headers({ ...KEY, host: GCS_HOST, path, time: Date.now(), ...change });
    const res = await rawRequest({ port: emulator.port, path, headers });
    expect([res.status, xmlCode(res.body)]).toEqual([status, code]);
    expect(emulator.requestLog().at(-1)).toMatchObject({ auth: 'goog4', verdict: code, status });
  });

  it('a request 14 minutes off is still inside the window', async () => {
    const headers = goog4Headers({ ...KEY, host: GCS_HOST, path, time: Date.now() - 14 * 60_000 });
    expect((await rawRequest({ port: emulator.port, path, headers })).status).toBe(200);
  });

  it('the emulator clock offset moves the window', async () => {
    emulator.setClockOffset(20 * 60_000);
    const headers = goog4Headers({ ...KEY, host: GCS_HOST, path, time: Date.now() });
    const res = await rawRequest({ port: emulator.port, path, headers });
    expect([res.status, xmlCode(res.body)]).toEqual([403, 'RequestTimeTooSkewed']);
    expect(Date.parse(String(res.headers.date)) - Date.now()).toBeGreaterThan(15 * 60_000);
  });

  it('a mismatch echoes StringToSign and CanonicalRequest like GCS does', async () => {
    const headers = goog4Headers({ ...KEY, secret: 'wrong', host: GCS_HOST, path, time: Date.now() });
    const res = await rawRequest({ port: emulator.port, path, headers });
    expect(res.body).toMatch(/<StringToSign>GOOG4-HMAC-SHA256\n\d{8}T\d{6}Z\n\d{8}\/auto\/storage\/goog4_request\n[0-9a-f]{64}<\/StringToSign>/);
    expect(res.body).toContain('<CanonicalRequest>GET\n/canary-bucket/with%20space.json\n\nhost:storage.googleapis.com\n');
  });
});

describe('V2 signatures computed by hand', () => {
  const path = `/${BUCKET}/plain.json`;

  it.each(['AWS', 'GOOG1'] as const)('%s path style is accepted and logged with its scheme', async (prefix) => {
    const headers = v2Headers({ ...KEY, prefix, host: GCS_HOST, path, time: Date.now() });
    const res = await rawRequest({ port: emulator.port, path, headers });
    expect(res.status, res.body).toBe(200);
    expect(emulator.requestLog().at(-1)).toMatchObject({ auth: prefix === 'AWS' ? 'v2-aws' : 'v2-goog1', verdict: 'ok' });
  });

  it.each(['AWS', 'GOOG1'] as const)('%s virtual-host style signs /bucket/object', async (prefix) => {
    const headers = v2Headers({ ...KEY, prefix, host: `${BUCKET}.${GCS_HOST}`, path: '/plain.json', resource: path, time: Date.now() });
    const res = await rawRequest({ port: emulator.port, path: '/plain.json', headers });
    expect(res.status, res.body).toBe(200);
  });

  it.each([
    ['wrong secret', { secret: 'wrong' }, 403, 'SignatureDoesNotMatch'],
    ['unknown access id', { accessId: 'GOOG1EUNKNOWN' }, 403, 'InvalidAccessKeyId'],
    ['skewed Date', { time: Date.now() - 20 * 60_000 }, 403, 'RequestTimeTooSkewed'],
  ])('%s → %i %s', async (_label, change, status, code) => {
    const headers = v2Headers({ ...KEY, prefix: 'GOOG1', host: GCS_HOST, path, time: Date.now(), ...change });
    const res = await rawRequest({ port: emulator.port, path, headers });
    expect([res.status, xmlCode(res.body)]).toEqual([status, code]);
  });

  it('a V2 mismatch echoes the StringToSign', async () => {
    const headers = v2Headers({ ...KEY, secret: 'wrong', prefix: 'AWS', host: GCS_HOST, path, time: Date.now() });
    const res = await rawRequest({ port: emulator.port, path, headers });
    expect(res.body).toContain(`<StringToSign>GET\n\n\n${headers.Date}\n/canary-bucket/plain.json</StringToSign>`);
  });
});

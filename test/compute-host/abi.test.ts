/**
 * The hostcalls as the guest calls them (js-compute-runtime's host_api.cpp): statuses, out
 * pointers, buffer-too-small retries, multi-value cursors, handle lifetimes and select timeouts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Status } from '../../scripts/compute-host/guest/status';
import { abiHarness, testJob } from './support/abi-session';
import type { AbiHarness } from './support/abi-session';

let abi: AbiHarness;
afterEach(() => abi?.close());

const enc = (text: string) => new TextEncoder().encode(text);

function downstream(headers: [string, string][]): { req: number; body: number } {
  abi = abiHarness(testJob({ request: { ...testJob().request, headers: headers.map(([n, v]) => [n, enc(v)]) } }));
  const out = abi.alloc(8);
  expect(abi.req.body_downstream_get(out, out + 4)).toBe(Status.ok);
  return { req: abi.u32(out), body: abi.u32(out + 4) };
}

/** header_values_get as the guest calls it: one buffer, cursor 0, values split at NUL. */
function headerValues(handle: number, name: string, bufLen = 69000): { status: number; values: string[]; ending: bigint; nwritten: number } {
  const [np, nl] = abi.put(name);
  const buf = abi.alloc(bufLen);
  const ending = abi.alloc(8);
  const nwritten = abi.alloc(4);
  const status = abi.req.header_values_get(handle, np, nl, buf, bufLen, 0, ending, nwritten);
  const text = status === Status.ok ? abi.text(buf, abi.u32(nwritten)) : '';
  return { status, values: text.split('\0').slice(0, -1), ending: abi.i64(ending), nwritten: abi.u32(nwritten) };
}

describe('headers', () => {
  it('returns every value of a multi-value header in one call, ending cursor -1', () => {
    const { req } = downstream([['X-Multi', 'one'], ['Accept', 'text/plain'], ['x-multi', 'two, three']]);
    expect(headerValues(req, 'x-multi')).toMatchObject({ status: Status.ok, values: ['one', 'two, three'], ending: -1n });
  });

  it('answers buflen with the size needed when not even one value fits', () => {
    const { req } = downstream([['x-long', 'a'.repeat(100)]]);
    expect(headerValues(req, 'x-long', 50)).toMatchObject({ status: Status.buflen, nwritten: 101 });
  });

  it('names: as many as fit, then the cursor of the next one', () => {
    const { req } = downstream([['aaaa', '1'], ['bbbb', '2'], ['cccc', '3']]);
    const buf = abi.alloc(16);
    const ending = abi.alloc(8);
    const nwritten = abi.alloc(4);
    expect(abi.req.header_names_get(req, buf, 12, 0, ending, nwritten)).toBe(Status.ok);
    expect(abi.text(buf, abi.u32(nwritten))).toBe('aaaa\0bbbb\0');
    expect(abi.i64(ending)).toBe(2n);
    expect(abi.req.header_names_get(req, buf, 12, 2, ending, nwritten)).toBe(Status.ok);
    expect(abi.text(buf, abi.u32(nwritten))).toBe('cccc\0');
    expect(abi.i64(ending)).toBe(-1n);
  });

  it('append keeps both values; insert replaces them; a bad name or value is inval', () => {
    abi = abiHarness();
    const out = abi.alloc(4);
    abi.resp.new(out);
    const resp = abi.u32(out);
    const [np, nl] = abi.put('set-cookie');
    for (const value of ['a=1', 'b=2']) abi.resp.header_append(resp, np, nl, ...abi.put(value));
    const values = () => abi.session.handles.get(resp, 'response')?.head.headers.values('set-cookie').map((v) => new TextDecoder().decode(v));
    expect(values()).toEqual(['a=1', 'b=2']);
    expect(abi.resp.header_insert(resp, np, nl, ...abi.put('c=3'))).toBe(Status.ok);
    expect(values()).toEqual(['c=3']);
    expect(abi.resp.header_insert(resp, ...abi.put('bad name'), ...abi.put('x'))).toBe(Status.inval);
    expect(abi.resp.header_insert(resp, np, nl, ...abi.put('split\r\nx-injected: 1'))).toBe(Status.inval);
  });
});

describe('handles', () => {
  it('a closed body is badf, and handles are never reused within a request', () => {
    abi = abiHarness();
    const out = abi.alloc(8);
    abi.body.new(out);
    const first = abi.u32(out);
    const [ptr, len] = abi.put('hello');
    expect(abi.body.write(first, ptr, len, 0, out + 4)).toBe(Status.ok);
    expect(abi.body.close(first)).toBe(Status.ok);
    expect(abi.body.write(first, ptr, len, 0, out + 4)).toBe(Status.badf);
    expect(abi.body.close(first)).toBe(Status.badf);
    abi.body.new(out);
    expect(abi.u32(out)).not.toBe(first);
  });

  it('a handle of another kind is badf', () => {
    abi = abiHarness();
    const out = abi.alloc(8);
    abi.req.new(out);
    const req = abi.u32(out);
    expect(abi.body.read(req, abi.alloc(8), 8, out + 4)).toBe(Status.badf);
    expect(abi.resp.status_set(req, 200)).toBe(Status.badf);
  });

  it('send_downstream consumes the response and its body', () => {
    abi = abiHarness();
    const out = abi.alloc(8);
    abi.resp.new(out);
    abi.body.new(out + 4);
    const [resp, body] = [abi.u32(out), abi.u32(out + 4)];
    expect(abi.resp.send_downstream(resp, body, 0)).toBe(Status.ok);
    expect(abi.resp.status_set(resp, 500)).toBe(Status.badf);
    expect(abi.body.write(body, ...abi.put('late'), 0, out)).toBe(Status.badf);
    expect(abi.sent().filter((m) => m.type === 'downstream')).toHaveLength(1);
  });
});

describe('config store lookups', () => {
  const big = 'v'.repeat(5000);
  const store = () => {
    abi = abiHarness(testJob({ configStores: { settings: { big, small: 'x' } }, limits: { backendRequests: 32, configLookups: 32 } }));
    const out = abi.alloc(4);
    expect(abi.config.open(...abi.put('settings'), out)).toBe(Status.ok);
    return abi.u32(out);
  };

  it('a value larger than the buffer is buflen with its size; the retry gets it', () => {
    const handle = store();
    const [kp, kl] = abi.put('big');
    const nwritten = abi.alloc(4);
    expect(abi.config.get(handle, kp, kl, abi.alloc(512), 512, nwritten)).toBe(Status.buflen);
    expect(abi.u32(nwritten)).toBe(5000);
    const buf = abi.alloc(5000);
    expect(abi.config.get(handle, kp, kl, buf, 5000, nwritten)).toBe(Status.ok);
    expect(abi.text(buf, abi.u32(nwritten))).toBe(big);
  });

  it('a missing key is none; an unknown store is badf', () => {
    const handle = store();
    expect(abi.config.get(handle, ...abi.put('absent'), abi.alloc(8), 8, abi.alloc(4))).toBe(Status.none);
    expect(abi.config.open(...abi.put('no_such_store'), abi.alloc(4))).toBe(Status.badf);
  });

  it('the 33rd lookup of a request is limitexceeded (buflen retries do not count)', () => {
    const handle = store();
    const [kp, kl] = abi.put('small');
    const [bp, bl] = abi.put('big');
    const buf = abi.alloc(16);
    const nwritten = abi.alloc(4);
    expect(abi.config.get(handle, bp, bl, buf, 16, nwritten)).toBe(Status.buflen);
    for (let i = 0; i < 32; i += 1) expect(abi.config.get(handle, kp, kl, buf, 16, nwritten)).toBe(Status.ok);
    expect(abi.config.get(handle, kp, kl, buf, 16, nwritten)).toBe(Status.limitexceeded);
  });
});

describe('backend requests and select', () => {
  function sendOne(): number {
    const out = abi.alloc(12);
    abi.req.new(out);
    abi.body.new(out + 4);
    expect(abi.req.uri_set(abi.u32(out), ...abi.put('http://origin.test/object'))).toBe(Status.ok);
    const status = abi.req.send_async(abi.u32(out), abi.u32(out + 4), ...abi.put('origin'), out + 8);
    return status === Status.ok ? abi.u32(out + 8) : -status;
  }

  it('select times out with 0xFFFFFFFF, never before its timeout', () => {
    abi = abiHarness();
    const pending = sendOne();
    const list = abi.put(new Uint8Array(new Uint32Array([pending]).buffer))[0];
    const ready = abi.alloc(4);
    const started = performance.now();
    expect(abi.asyncIo.select(list, 1, 60, ready)).toBe(Status.ok);
    expect(performance.now() - started).toBeGreaterThanOrEqual(59);
    expect(abi.u32(ready)).toBe(0xffffffff);
  });

  it('select wakes with the index of the item that became ready', () => {
    abi = abiHarness();
    const first = sendOne();
    const second = sendOne();
    const list = abi.put(new Uint8Array(new Uint32Array([first, second]).buffer))[0];
    const sends = abi.sent().filter((m) => m.type === 'send');
    expect(sends).toHaveLength(2);
    const secondId = (sends[1] as { pendingId: number }).pendingId;
    abi.deliver({ type: 'backend-response', pendingId: secondId, status: 204, headers: [], knownLength: 0 });
    const ready = abi.alloc(4);
    expect(abi.asyncIo.select(list, 2, 0, ready)).toBe(Status.ok);
    expect(abi.u32(ready)).toBe(1);
  });

  it('select with no handles and no timeout is inval; a stale handle is badf', () => {
    abi = abiHarness();
    expect(abi.asyncIo.select(abi.alloc(4), 0, 0, abi.alloc(4))).toBe(Status.inval);
    const list = abi.put(new Uint8Array(new Uint32Array([424242]).buffer))[0];
    expect(abi.asyncIo.select(list, 1, 10, abi.alloc(4))).toBe(Status.badf);
  });

  it('the 33rd backend request of a request is limitexceeded', () => {
    abi = abiHarness();
    for (let i = 0; i < 32; i += 1) expect(sendOne()).toBeGreaterThan(0);
    expect(sendOne()).toBe(-Status.limitexceeded);
  });

  it('an unknown backend is inval, like Viceroy', () => {
    abi = abiHarness();
    const out = abi.alloc(12);
    abi.req.new(out);
    abi.body.new(out + 4);
    abi.req.uri_set(abi.u32(out), ...abi.put('http://origin.test/'));
    expect(abi.req.send_async(abi.u32(out), abi.u32(out + 4), ...abi.put('nowhere'), out + 8)).toBe(Status.inval);
  });

  it('body read blocks until bytes arrive, then reads to the end (0)', () => {
    abi = abiHarness();
    const pending = sendOne();
    const id = (abi.sent().find((m) => m.type === 'send') as { pendingId: number }).pendingId;
    abi.deliver({ type: 'backend-response', pendingId: id, status: 200, headers: [['x-a', enc('1')], ['x-a', enc('2')]], knownLength: 5 });
    abi.deliver({ type: 'body-chunk', streamId: id, chunk: enc('hello') });
    abi.deliver({ type: 'body-end', streamId: id });
    const out = abi.alloc(16);
    expect(abi.req.pending_req_wait_v2(pending, out, out + 4, out + 8)).toBe(Status.ok);
    expect(abi.bytes(out, 1)[0]).toBe(1);
    const [resp, body] = [abi.u32(out + 4), abi.u32(out + 8)];
    const status = abi.alloc(4);
    abi.resp.status_get(resp, status);
    expect(new DataView(abi.bytes(status, 2).buffer).getUint16(0, true)).toBe(200);
    const buf = abi.alloc(64);
    expect(abi.body.read(body, buf, 64, out)).toBe(Status.ok);
    expect(abi.text(buf, abi.u32(out))).toBe('hello');
    expect(abi.body.read(body, buf, 64, out)).toBe(Status.ok);
    expect(abi.u32(out)).toBe(0);
  });

  it('a failed request is error with the send_error_detail tag', () => {
    abi = abiHarness();
    const pending = sendOne();
    const id = (abi.sent().find((m) => m.type === 'send') as { pendingId: number }).pendingId;
    abi.deliver({ type: 'backend-error', pendingId: id, tag: 'connection_refused', message: 'refused' });
    const out = abi.alloc(16);
    expect(abi.req.pending_req_wait_v2(pending, out, out + 4, out + 8)).toBe(Status.error);
    expect(abi.bytes(out, 1)[0]).toBe(7);
  });
});

describe('core cache', () => {
  it('get_state writes one byte, leaving the guest bytes around it alone', () => {
    abi = abiHarness();
    const out = abi.alloc(8);
    expect(abi.cache.transaction_lookup(...abi.put('key'), 0, 0, out)).toBe(Status.ok);
    const lookup = abi.sent().find((m) => m.type === 'cache-lookup') as { lookupId: number };
    abi.deliver({ type: 'cache-result', lookupId: lookup.lookupId, result: { entry: null, mustInsert: true } });
    const state = abi.put(new Uint8Array([0xaa, 0xbb, 0xcc, 0xdd]))[0];
    expect(abi.cache.get_state(abi.u32(out), state)).toBe(Status.ok);
    expect([...abi.bytes(state, 4)]).toEqual([8, 0xbb, 0xcc, 0xdd]);
  });
});

/**
 * What the host refuses before any sandbox runs, as Fastly's edge does: URLs over 8 KB (414),
 * header sections over 69 KB (431), request targets that are not paths; an empty Host is absent.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWasm } from '../../scripts/stack/wasm-artifact';
import { startHost } from './support/host';
import type { HostUnderTest } from './support/host';

let host: HostUnderTest;

beforeAll(async () => {
  host = await startHost((await ensureWasm()).path);
}, 300_000);

afterAll(async () => {
  await host?.close();
});

/** Sends raw request bytes and returns the status line's code. */
function rawStatus(head: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = connect(host.port, '127.0.0.1', () => socket.write(head));
    let answer = '';
    socket.on('data', (chunk) => {
      answer += chunk.toString('latin1');
      const match = /^HTTP\/1\.1 (\d{3})/.exec(answer);
      if (match) {
        socket.destroy();
        resolve(Number(match[1]));
      }
    });
    socket.on('error', reject);
  });
}

describe('the downstream front end', () => {
  it.each([
    { name: 'a plain /live', head: 'GET /live HTTP/1.1\r\nHost: canary.test\r\n\r\n', status: 200 },
    { name: 'a URL over 8 KB', head: `GET /live?pad=${'a'.repeat(9000)} HTTP/1.1\r\nHost: canary.test\r\n\r\n`, status: 414 },
    { name: 'a Host that makes the URL over 8 KB', head: `GET /live HTTP/1.1\r\nHost: ${'h'.repeat(8200)}\r\n\r\n`, status: 414 },
    { name: 'a header section over 69 KB', head: `GET /live HTTP/1.1\r\nHost: canary.test\r\nX-Padding: ${'p'.repeat(72 * 1024)}\r\n\r\n`, status: 431 },
    { name: '20 KB of headers (under Fastly’s limit)', head: `GET /live HTTP/1.1\r\nHost: canary.test\r\nX-Padding: ${'p'.repeat(20 * 1024)}\r\n\r\n`, status: 200 },
    { name: 'an empty Host (treated as absent)', head: 'GET /live HTTP/1.1\r\nHost: \r\n\r\n', status: 200 },
    { name: 'a Host with a path in it', head: 'GET /live HTTP/1.1\r\nHost: evil.test/x\r\n\r\n', status: 400 },
    { name: 'an asterisk target', head: 'OPTIONS * HTTP/1.1\r\nHost: canary.test\r\n\r\n', status: 400 },
  ])('$name: $status', async ({ head, status }) => {
    expect(await rawStatus(head)).toBe(status);
  });
});

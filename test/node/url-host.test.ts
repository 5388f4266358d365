import { expect, it } from 'vitest';
import { urlHost } from '../../src/node/url-host';

it.each([
  ['127.0.0.1', '127.0.0.1'],
  ['localhost', 'localhost'],
  ['::1', '[::1]'],
])('%s is written %s in a URL, which parses back to it', (host, written) => {
  expect(urlHost(host)).toBe(written);
  expect(new URL(`http://${urlHost(host)}:8080/`).hostname).toBe(written);
});

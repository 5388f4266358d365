/** `npm run cdn`'s flags: each bucket's fields checked as the canary checks its config, and no flag silently ignored. */
import { describe, expect, it } from 'vitest';
import { CDN_USAGE, parseCdnArgs } from '../../scripts/cdn/cli-options';

const ENV = { CDN_HMAC_ACCESS_ID: 'GOOG1ECDNOPTIONS', CDN_HMAC_SECRET: 'cdn-options-test-secret', CDN_FALLBACK_HMAC_ACCESS_ID: 'AKIACDNOPTIONS', CDN_FALLBACK_HMAC_SECRET: 'cdn-options-fallback-secret' };
const parse = (args: string[]) => parseCdnArgs(['--bucket', 'files', ...args], ENV);

describe('parseCdnArgs', () => {
  it.each([
    { name: '--canary-restarts without a fallback', args: ['--canary-restarts'], message: '--canary-restarts needs --fallback-bucket: without a fallback the canary path has nothing to restart onto' },
    { name: 'an orphan --fallback-region', args: ['--fallback-region', 'us-west-2'], message: '--fallback-region needs --fallback-bucket' },
    { name: 'orphan --fallback-signing and --fallback-bucket-host', args: ['--fallback-signing', 'aws4', '--fallback-bucket-host', 's3.us-west-2.amazonaws.com'], message: '--fallback-signing, --fallback-bucket-host need --fallback-bucket' },
    { name: 'an orphan --fallback-origin', args: ['--fallback-origin', 'http://127.0.0.1:4443'], message: '--fallback-origin needs --fallback-bucket' },
    { name: 'a host with a space and a path', args: ['--bucket-host', 'bad host/'], message: '--bucket-host: must be a host name with an optional port, no scheme or path (got "bad host/")' },
    { name: "a fallback host with a scheme", args: ['--fallback-bucket', 'archive', '--fallback-bucket-host', 'https://s3.amazonaws.com'], message: '--fallback-bucket-host: must be a host name with an optional port' },
    { name: 'a bad region', args: ['--region', 'US West 2'], message: '--region: must be a region name such as auto or us-east1 (got "US West 2")' },
    { name: 'a bad bucket name', args: ['--bucket', 'Files_Bucket!'], message: '--bucket: not a valid bucket name (got "Files_Bucket!")' },
    { name: 'virtual style with a dotted bucket', args: ['--bucket', 'files.example.org', '--url-style', 'virtual'], message: '--url-style: virtual cannot be used with a bucket name containing dots' },
    { name: 'an origin that is not a URL', args: ['--origin', '127.0.0.1:4443'], message: '--origin: must be an http(s) URL with no path' },
  ])('refuses $name', ({ args, message }) => {
    expect(() => parse(args)).toThrow(message);
  });

  it('accepts a consistent fallback, with its own settings', () => {
    const parsed = parse(['--fallback-bucket', 'archive', '--fallback-signing', 'aws4', '--fallback-bucket-host', 's3.us-west-2.amazonaws.com', '--fallback-region', 'us-west-2', '--fallback-url-style', 'virtual', '--canary-restarts']);
    expect(parsed).not.toBe('help');
    if (parsed === 'help') return;
    expect(parsed.options.fallback).toMatchObject({ bucket: 'archive', signing: 'aws4', host: 's3.us-west-2.amazonaws.com', region: 'us-west-2', urlStyle: 'virtual' });
    expect(parsed.options.canaryRestarts).toBe(true);
  });

  it('the usage lists every flag it accepts, --host included', () => {
    for (const flag of ['--origin', '--bucket', '--port', '--host', '--ttl', '--cache-policy', '--signing', '--bucket-host', '--region', '--url-style', '--canary-path', '--no-canary-rule', '--canary-restarts', '--json', '--fallback-origin', '--fallback-bucket', '--fallback-signing', '--fallback-bucket-host', '--fallback-region', '--fallback-url-style']) {
      expect(CDN_USAGE).toMatch(new RegExp(`[\\s[]${flag}(?![\\w-])`));
    }
  });
});

import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/core/config';

const source = (values: Record<string, string | undefined>) => ({ get: (k: string) => values[k] ?? null, keys: () => Object.keys(values).filter((k) => values[k] !== undefined) });
const valid = { bucket: 'pkg-files', object: 'edge-canary/canary.json' };

describe('parseConfig', () => {
  it('fills every default of DESIGN.md §5', () => {
    const result = parseConfig(source(valid));
    expect(result).toEqual({
      ok: true,
      config: {
        bucket: 'pkg-files', object: 'edge-canary/canary.json', signing: 'goog4', originHost: 'storage.googleapis.com',
        urlStyle: 'path', region: 'auto', warnAgeSeconds: 300, maxAgeSeconds: 900, attempts: 2, deadlineMs: 8000,
        resultTtlMs: 5000, edgeUrl: null, edgeBackendHeader: null, edgeExpectedBackend: null,
        origins: [{
          target: 'origin', role: 'primary', entry: null, backend: 'gcs', bucket: 'pkg-files', object: 'edge-canary/canary.json',
          signing: 'goog4', originHost: 'storage.googleapis.com', urlStyle: 'path', region: 'auto', provider: 'gcs',
          secretNames: { accessId: 'hmac_access_id', secret: 'hmac_secret' },
        }],
      },
    });
  });

  it('accepts every setting given explicitly', () => {
    const result = parseConfig(source({
      ...valid, signing: 'aws4', origin_host: 'Storage.Example.com:8443', url_style: 'virtual', region: 'us-east1',
      warn_age_seconds: '60', max_age_seconds: '120', attempts: '3', deadline_ms: '3000', result_ttl_ms: '0',
      edge_url: 'https://files.example.org/edge-canary/canary.json',
    }));
    expect(result.ok && result.config).toMatchObject({
      signing: 'aws4', originHost: 'storage.example.com:8443', urlStyle: 'virtual', attempts: 3, resultTtlMs: 0,
      edgeUrl: 'https://files.example.org/edge-canary/canary.json',
    });
  });

  it.each([
    { name: 'missing bucket', input: { object: 'o' }, error: 'bucket: required, not set' },
    { name: 'empty bucket', input: { ...valid, bucket: ' ' }, error: 'bucket: required, is empty' },
    { name: 'bad bucket', input: { ...valid, bucket: 'Has Spaces' }, error: 'bucket: not a valid GCS bucket name (got "Has Spaces")' },
    { name: 'missing object', input: { bucket: 'pkg-files' }, error: 'object: required, not set' },
    { name: 'wildcard object', input: { ...valid, object: 'canary/*' }, error: 'object: must be a plain object name' },
    { name: 'C1 control character in object', input: { ...valid, object: 'canary\u0085.json' }, error: 'object: must be a plain object name' },
    { name: 'dot-dot object', input: { ...valid, object: 'canary/../other' }, error: 'object: must be a plain object name' },
    { name: 'unknown signing', input: { ...valid, signing: 'sigv4' }, error: 'signing: must be one of goog4, aws4, v2, none (got "sigv4")' },
    { name: 'origin_host with scheme', input: { ...valid, origin_host: 'https://storage.googleapis.com' }, error: 'origin_host: must be a host name' },
    { name: 'origin_host port out of range', input: { ...valid, origin_host: 'storage.googleapis.com:99999' }, error: 'origin_host: must be a host name' },
    { name: 'origin_host port zero', input: { ...valid, origin_host: 'localhost:0' }, error: 'origin_host: must be a host name' },
    { name: 'bad url_style', input: { ...valid, url_style: 'vhost' }, error: 'url_style: must be one of path, virtual (got "vhost")' },
    { name: 'virtual with dotted bucket', input: { ...valid, bucket: 'files.example.org', url_style: 'virtual' }, error: 'url_style: virtual cannot be used with a bucket name containing dots' },
    { name: 'bad region', input: { ...valid, region: 'US East' }, error: 'region: must be a region name' },
    { name: 'non-numeric age', input: { ...valid, warn_age_seconds: 'five' }, error: 'warn_age_seconds: must be a whole number from 1 to 604800 (got "five")' },
    { name: 'negative age', input: { ...valid, max_age_seconds: '-1' }, error: 'max_age_seconds: must be a whole number from 1 to 604800 (got "-1")' },
    { name: 'max below warn', input: { ...valid, warn_age_seconds: '600', max_age_seconds: '300' }, error: 'max_age_seconds: must not be below warn_age_seconds (got 300 < 600)' },
    { name: 'zero attempts', input: { ...valid, attempts: '0' }, error: 'attempts: must be from 1 to 5 (got 0)' },
    { name: 'fractional deadline', input: { ...valid, deadline_ms: '2.5' }, error: 'deadline_ms: must be a whole number from 100 to 60000 (got "2.5")' },
    { name: 'huge deadline', input: { ...valid, deadline_ms: '600000' }, error: 'deadline_ms: must be from 100 to 60000 (got 600000)' },
    { name: 'negative ttl', input: { ...valid, result_ttl_ms: '-5' }, error: 'result_ttl_ms: must be a whole number from 0 to 600000 (got "-5")' },
    { name: 'relative edge_url', input: { ...valid, edge_url: '/canary.json' }, error: 'edge_url: not an absolute URL (got "/canary.json")' },
    { name: 'ftp edge_url', input: { ...valid, edge_url: 'ftp://x/y' }, error: 'edge_url: must be an http or https URL' },
    { name: 'backend header without value', input: { ...valid, edge_url: 'https://x.org/c', edge_backend_header: 'X-Backend' }, error: 'edge_expected_backend: required when edge_backend_header is set' },
    { name: 'bad backend header', input: { ...valid, edge_url: 'https://x.org/c', edge_backend_header: 'X Backend', edge_expected_backend: 'gcs' }, error: 'edge_backend_header: not a valid header name (got "X Backend")' },
    { name: 'backend header without edge_url', input: { ...valid, edge_backend_header: 'X-Backend', edge_expected_backend: 'gcs' }, error: 'edge_backend_header: only meaningful with edge_url set' },
    { name: 'unknown key', input: { ...valid, max_age: '60' }, error: 'max_age: unknown key (known keys: bucket, object' },
  ])('$name is reported by key and value', ({ input, error }) => {
    const result = parseConfig(source(input));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.join('\n')).toContain(error);
  });

  it('reports every problem at once, not just the first', () => {
    const result = parseConfig(source({ attempts: '9', signing: 'x' }));
    expect(result.ok ? [] : result.errors.map((e) => e.split(':')[0])).toEqual(['bucket', 'object', 'signing', 'attempts']);
  });

  it('shortens a pasted long value in the message', () => {
    const result = parseConfig(source({ ...valid, region: 'x'.repeat(500) }));
    expect(result.ok ? '' : result.errors[0]!.length).toBeLessThan(140);
  });
});

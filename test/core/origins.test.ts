/** The `origins` config value: decoding, defaults, and every error naming the entry and field. */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/core/config';

const source = (values: Record<string, string>) => ({ get: (k: string) => values[k] ?? null, keys: () => Object.keys(values) });
const PRIMARY = {
  role: 'primary', backend: 'b2', bucket: 'files-b2', object: 'edge-canary/canary.json', signing: 'aws4',
  host: 's3.us-east-005.backblazeb2.com', url_style: 'path', region: 'us-east-005', provider: 'b2', credential: 'primary',
};
const FALLBACK = {
  role: 'fallback', backend: 'archive', bucket: 'files-archive', object: 'edge-canary/canary.json', signing: 'aws4',
  host: 's3.us-west-2.amazonaws.com', url_style: 'virtual', region: 'us-west-2', provider: 's3', credential: 'archive',
};
const withOrigins = (origins: unknown, extra: Record<string, string> = {}) => parseConfig(source({ origins: JSON.stringify(origins), ...extra }));
const errorsOf = (result: ReturnType<typeof parseConfig>) => (result.ok ? [] : result.errors);

describe('origins', () => {
  it('decodes the PyPI-like B2 primary and S3 archive, primary first, with targets and secret names', () => {
    const result = withOrigins([FALLBACK, PRIMARY]);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config.origins).toEqual([
      { target: 'origin:primary', role: 'primary', entry: 'origins[1]', backend: 'b2', bucket: 'files-b2', object: 'edge-canary/canary.json',
        signing: 'aws4', originHost: 's3.us-east-005.backblazeb2.com', urlStyle: 'path', region: 'us-east-005', provider: 'b2',
        secretNames: { accessId: 'primary_access_id', secret: 'primary_secret' } },
      { target: 'origin:fallback', role: 'fallback', entry: 'origins[0]', backend: 'archive', bucket: 'files-archive', object: 'edge-canary/canary.json',
        signing: 'aws4', originHost: 's3.us-west-2.amazonaws.com', urlStyle: 'virtual', region: 'us-west-2', provider: 's3',
        secretNames: { accessId: 'archive_access_id', secret: 'archive_secret' } },
    ]);
    // The one-origin fields are the primary's, for the tools that read one bucket.
    expect(result.config).toMatchObject({ bucket: 'files-b2', originHost: 's3.us-east-005.backblazeb2.com', region: 'us-east-005' });
  });

  it('fills the flat keys\' defaults: goog4, storage.googleapis.com, path, auto, provider gcs', () => {
    const result = withOrigins([{ role: 'primary', backend: 'gcs', bucket: 'pkg-files', object: 'c.json', credential: 'hmac' }]);
    expect(result.ok && result.config.origins[0]).toMatchObject({
      signing: 'goog4', originHost: 'storage.googleapis.com', urlStyle: 'path', region: 'auto', provider: 'gcs',
      secretNames: { accessId: 'hmac_access_id', secret: 'hmac_secret' },
    });
  });

  it('names further fallbacks origin:fallback-2, -3 in the order listed', () => {
    const result = withOrigins([PRIMARY, FALLBACK, { ...FALLBACK, bucket: 'files-archive-2' }, { ...FALLBACK, bucket: 'files-archive-3' }]);
    expect(result.ok && result.config.origins.map((o) => o.target)).toEqual(['origin:primary', 'origin:fallback', 'origin:fallback-2', 'origin:fallback-3']);
  });

  it.each([
    { name: 'not JSON', origins: '[{', error: 'origins: not valid JSON' },
    { name: 'not an array', origins: '{"role":"primary"}', error: 'origins: must be a JSON array of origin objects' },
    { name: 'empty list', origins: '[]', error: 'origins: must list 1 to 4 origins (got 0)' },
    { name: 'five origins', origins: JSON.stringify([PRIMARY, FALLBACK, FALLBACK, FALLBACK, FALLBACK]), error: 'origins: must list 1 to 4 origins (got 5)' },
    { name: 'an entry that is not an object', origins: JSON.stringify([PRIMARY, 'archive']), error: 'origins[1]: must be an object' },
    { name: 'no primary', origins: JSON.stringify([FALLBACK]), error: 'origins: exactly one entry must have "role":"primary" (got 0)' },
    { name: 'two primaries', origins: JSON.stringify([PRIMARY, { ...FALLBACK, role: 'primary' }]), error: 'origins: exactly one entry must have "role":"primary" (got 2)' },
    { name: 'unknown role', origins: JSON.stringify([PRIMARY, { ...FALLBACK, role: 'backup' }]), error: 'origins[1].role: must be one of primary, fallback (got "backup")' },
    { name: 'unknown field', origins: JSON.stringify([PRIMARY, { ...FALLBACK, regoin: 'x' }]), error: 'origins[1].regoin: unknown field (known fields: role, backend' },
    { name: 'missing backend', origins: JSON.stringify([{ ...PRIMARY, backend: undefined }]), error: 'origins[0].backend: required, not set' },
    { name: 'bad backend name', origins: JSON.stringify([{ ...PRIMARY, backend: 'b2 primary' }]), error: `origins[0].backend: must be a backend name of letters, digits, '_' and '-' (got "b2 primary")` },
    { name: 'missing bucket', origins: JSON.stringify([{ ...PRIMARY, bucket: undefined }]), error: 'origins[0].bucket: required, not set' },
    { name: 'bad bucket', origins: JSON.stringify([PRIMARY, { ...FALLBACK, bucket: 'Files Archive' }]), error: 'origins[1].bucket: not a valid bucket name (got "Files Archive")' },
    { name: 'object with ..', origins: JSON.stringify([{ ...PRIMARY, object: 'a/../b' }]), error: 'origins[0].object: must be a plain object name' },
    { name: 'number instead of string', origins: JSON.stringify([{ ...PRIMARY, region: 5 }]), error: 'origins[0].region: must be a string (got "5")' },
    { name: 'empty string', origins: JSON.stringify([{ ...PRIMARY, bucket: ' ' }]), error: 'origins[0].bucket: is empty' },
    { name: 'bad host', origins: JSON.stringify([{ ...PRIMARY, host: 'https://s3.us-east-005.backblazeb2.com' }]), error: 'origins[0].host: must be a host name' },
    { name: 'bad url_style', origins: JSON.stringify([PRIMARY, { ...FALLBACK, url_style: 'vhost' }]), error: 'origins[1].url_style: must be one of path, virtual (got "vhost")' },
    { name: 'virtual with a dotted bucket', origins: JSON.stringify([PRIMARY, { ...FALLBACK, bucket: 'files.archive' }]), error: 'origins[1].url_style: virtual cannot be used with a bucket name containing dots' },
    { name: 'bad region', origins: JSON.stringify([PRIMARY, { ...FALLBACK, region: 'US West' }]), error: 'origins[1].region: must be a region name' },
    { name: 'S3 with region auto', origins: JSON.stringify([PRIMARY, { ...FALLBACK, region: 'auto' }]), error: `origins[1].region: provider s3 signs with the bucket's region (such as us-west-2); "auto" is only for GCS and R2` },
    { name: 'B2 with region left out', origins: JSON.stringify([{ ...PRIMARY, region: undefined }]), error: 'origins[0].region: provider b2 signs with the bucket\'s region (such as us-east-005)' },
    { name: 'unknown provider', origins: JSON.stringify([{ ...PRIMARY, provider: 'wasabi' }]), error: 'origins[0].provider: must be one of gcs, s3, b2, r2, other (got "wasabi")' },
    { name: 'provider left out for a non-GCS host', origins: JSON.stringify([{ ...PRIMARY, provider: undefined }]), error: 'origins[0].provider: required when host is not storage.googleapis.com (got host "s3.us-east-005.backblazeb2.com")' },
    { name: 'goog4 on S3', origins: JSON.stringify([PRIMARY, { ...FALLBACK, signing: 'goog4' }]), error: `origins[1].signing: goog4 is Google's scheme; provider s3 speaks aws4 (SigV4), so set "signing":"aws4"` },
    { name: 'missing credential', origins: JSON.stringify([{ ...PRIMARY, credential: undefined }]), error: 'origins[0].credential: required with signing aws4: a name whose secrets are <name>_access_id and <name>_secret in canary_secrets' },
    { name: 'bad credential name', origins: JSON.stringify([{ ...PRIMARY, credential: 'b2/primary' }]), error: `origins[0].credential: must be a name of letters, digits, '_' and '-' (got "b2/primary")` },
    { name: 'credential with signing none', origins: JSON.stringify([{ ...PRIMARY, signing: 'none' }]), error: 'origins[0].credential: not used with signing none' },
  ])('$name: $error', ({ origins, error }) => {
    expect(errorsOf(parseConfig(source({ origins }))).join('\n')).toContain(error);
  });

  it('reports the problems of every entry at once', () => {
    const result = withOrigins([{ ...PRIMARY, region: 'US' }, { ...FALLBACK, backend: 'a b', url_style: 'x' }]);
    expect(errorsOf(result).map((e) => e.split(':')[0])).toEqual(['origins[0].region', 'origins[1].backend', 'origins[1].url_style']);
  });

  it('with the flat bucket and object set too, names both forms', () => {
    const errors = errorsOf(withOrigins([PRIMARY], { bucket: 'pkg-files', object: 'c.json' }));
    expect(errors).toContain('origins: set together with bucket, object: use one form, either origins (each entry has its own bucket, object, signing, host, url_style and region) or the flat keys; remove bucket, object');
  });

  it('with a flat origin_host or signing set too, says they would be ignored', () => {
    expect(errorsOf(withOrigins([PRIMARY], { signing: 'aws4', origin_host: 'x.example' })).join('\n')).toContain('origins: set together with signing, origin_host');
  });

  it('keeps the check-wide keys (ages, attempts, deadline, edge) beside origins', () => {
    const result = withOrigins([PRIMARY, FALLBACK], { attempts: '3', deadline_ms: '4000', edge_url: 'https://files.example.org/edge-canary/canary.json' });
    expect(result.ok && result.config).toMatchObject({ attempts: 3, deadlineMs: 4000, edgeUrl: 'https://files.example.org/edge-canary/canary.json' });
  });
});

import { describe, expect, it } from 'vitest';
import { parseUploadArgs } from '../../scripts/uploader/args';
import { UsageError } from '../../scripts/uploader/errors';

const HOST = 'host-1';

describe('upload flags and environment', () => {
  it('takes bucket and object from flags, defaults the rest', () => {
    expect(parseUploadArgs(['--bucket', 'b', '--object', 'o'], {}, HOST)).toEqual({
      help: false,
      originsSource: null,
      bucket: 'b',
      object: 'o',
      intervalSeconds: null,
      dryRun: false,
      json: false,
      endpoint: undefined,
      writer: 'uploader@host-1',
      force: false,
    });
  });

  it('--origins FILE or --manifest FILE name every origin instead of --bucket/--object', () => {
    expect(parseUploadArgs(['--origins', 'o.json'], { CANARY_BUCKET: 'ignored' }, HOST)).toMatchObject({ originsSource: { kind: 'file', path: 'o.json' }, bucket: '' });
    expect(parseUploadArgs(['--manifest', 'fastly.toml'], {}, HOST).originsSource).toEqual({ kind: 'manifest', path: 'fastly.toml' });
    expect(() => parseUploadArgs(['--origins', 'a', '--manifest', 'b'], {}, HOST)).toThrow('--origins and --manifest both give the origins: use one');
  });

  it('--force allows replacing an object that is not a canary', () => {
    expect(parseUploadArgs(['--bucket', 'b', '--object', 'o', '--force'], {}, HOST).force).toBe(true);
  });

  it('falls back to CANARY_BUCKET and CANARY_OBJECT, flags winning', () => {
    const env = { CANARY_BUCKET: 'env-bucket', CANARY_OBJECT: 'env/object.json' };
    expect(parseUploadArgs([], env, HOST)).toMatchObject({ bucket: 'env-bucket', object: 'env/object.json' });
    expect(parseUploadArgs(['--bucket', 'flag-bucket'], env, HOST)).toMatchObject({ bucket: 'flag-bucket', object: 'env/object.json' });
  });

  it('reads every optional flag', () => {
    const argv = ['--bucket', 'b', '--object', 'o', '--interval', '0.05', '--dry-run', '--json', '--endpoint', 'http://127.0.0.1:4443/', '--writer', 'ci@runner'];
    expect(parseUploadArgs(argv, {}, HOST)).toMatchObject({
      intervalSeconds: 0.05,
      dryRun: true,
      json: true,
      endpoint: 'http://127.0.0.1:4443',
      writer: 'ci@runner',
    });
  });

  it.each([
    { name: 'no bucket', argv: ['--object', 'o'], env: {}, expected: /no bucket: pass --bucket B or set CANARY_BUCKET/ },
    { name: 'empty CANARY_BUCKET', argv: ['--object', 'o'], env: { CANARY_BUCKET: '' }, expected: /no bucket/ },
    { name: 'no object', argv: ['--bucket', 'b'], env: {}, expected: /no object: pass --object O or set CANARY_OBJECT/ },
    { name: 'unknown flag', argv: ['--bucket', 'b', '--object', 'o', '--overwrite'], env: {}, expected: /Unknown option '--overwrite'/ },
    { name: 'positional argument', argv: ['--bucket', 'b', '--object', 'o', 'extra'], env: {}, expected: /positional/ },
    { name: 'zero interval', argv: ['--bucket', 'b', '--object', 'o', '--interval', '0'], env: {}, expected: /--interval must be/ },
    { name: 'negative interval', argv: ['--bucket', 'b', '--object', 'o', '--interval=-5'], env: {}, expected: /--interval must be/ },
    { name: 'interval without a value', argv: ['--bucket', 'b', '--object', 'o', '--interval'], env: {}, expected: /--interval/ },
    { name: 'word interval', argv: ['--bucket', 'b', '--object', 'o', '--interval', '5m'], env: {}, expected: /--interval must be/ },
    { name: 'interval over a day', argv: ['--bucket', 'b', '--object', 'o', '--interval', '86401'], env: {}, expected: /<= 86400/ },
    { name: 'endpoint not a URL', argv: ['--bucket', 'b', '--object', 'o', '--endpoint', '127.0.0.1:4443'], env: {}, expected: /--endpoint must be/ },
    { name: 'endpoint with a query', argv: ['--bucket', 'b', '--object', 'o', '--endpoint', 'http://h/?x=1'], env: {}, expected: /--endpoint must be/ },
    { name: 'empty writer', argv: ['--bucket', 'b', '--object', 'o', '--writer', ' '], env: {}, expected: /--writer must be/ },
    { name: 'glob object', argv: ['--bucket', 'b', '--object', 'canary/*'], env: {}, expected: /never as a pattern/ },
    { name: 'gs:// bucket', argv: ['--bucket', 'gs://b', '--object', 'o'], env: {}, expected: /no gs:\/\/ prefix/ },
  ])('refuses $name with a UsageError', ({ argv, env, expected }) => {
    const attempt = (): unknown => parseUploadArgs(argv, env, HOST);
    expect(attempt).toThrow(UsageError);
    expect(attempt).toThrow(expected);
  });

  it('answers --help without needing a bucket', () => {
    expect(parseUploadArgs(['--help'], {}, HOST).help).toBe(true);
  });
});

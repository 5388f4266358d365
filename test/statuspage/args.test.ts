import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseSyncArgs } from '../../scripts/statuspage/args';
import type { SyncOptions } from '../../scripts/statuspage/args';

const KEY = 'sp-key-0123456789abcdef';
const withKey = { STATUSPAGE_API_KEY: KEY };
const base = ['--health-url', 'https://canary.example/health', '--page-id', 'P1', '--component-id', 'C1'];

function runOptions(argv: string[], env: NodeJS.ProcessEnv = withKey): SyncOptions {
  const command = parseSyncArgs(argv, env);
  if (command.kind !== 'run') throw new Error('expected a run command');
  return command.options;
}

describe('parseSyncArgs', () => {
  it('applies the documented defaults', () => {
    const options = runOptions(base);
    expect(options).toMatchObject({
      healthUrls: ['https://canary.example/health'],
      pageId: 'P1',
      componentId: 'C1',
      intervalSeconds: null,
      confirm: 2,
      confirmDelaySeconds: 5,
      maxWaitSeconds: 50,
      statePath: null,
      timeoutSeconds: 10,
      dryRun: false,
      apiBase: 'https://api.statuspage.io',
      json: false,
    });
    expect(options.apiKey?.reveal()).toBe(KEY);
  });

  it('takes several vantage points and fractional seconds', () => {
    const options = runOptions([...base, '--health-url', 'http://b.example/health', '--interval', '60', '--confirm', '3', '--confirm-delay', '0.25']);
    expect(options.healthUrls).toEqual(['https://canary.example/health', 'http://b.example/health']);
    expect(options).toMatchObject({ intervalSeconds: 60, confirm: 3, confirmDelaySeconds: 0.25 });
  });

  it('needs no key in a dry run', () => {
    expect(runOptions([...base, '--dry-run'], {}).apiKey).toBeNull();
  });

  it.each([
    { name: 'missing --health-url', argv: ['--page-id', 'P', '--component-id', 'C'], message: '--health-url is required' },
    { name: 'missing --page-id', argv: ['--health-url', 'https://a/health', '--component-id', 'C'], message: '--page-id is required' },
    { name: 'missing --component-id', argv: ['--health-url', 'https://a/health', '--page-id', 'P'], message: '--component-id is required' },
    { name: 'not a URL', argv: [...base, '--health-url', 'canary.example'], message: "--health-url 'canary.example' is not a URL" },
    { name: 'not http', argv: [...base, '--health-url', 'ftp://a/health'], message: "--health-url 'ftp://a/health' is not an http(s) URL" },
    { name: 'bad api base', argv: [...base, '--api-base', 'nope'], message: "--api-base 'nope' is not a URL" },
    { name: '--confirm 0', argv: [...base, '--confirm', '0'], message: "--confirm '0' is not a whole number >= 1" },
    { name: '--confirm 1.5', argv: [...base, '--confirm', '1.5'], message: "--confirm '1.5' is not a whole number >= 1" },
    { name: '--interval 0', argv: [...base, '--interval', '0'], message: "--interval '0' is not a positive number of seconds" },
    { name: '--interval abc', argv: [...base, '--interval', 'abc'], message: "--interval 'abc' is not a positive number of seconds" },
    { name: '--confirm-delay -1', argv: [...base, '--confirm-delay=-1'], message: "--confirm-delay '-1' is not a number of seconds >= 0" },
    { name: '--max-wait soon', argv: [...base, '--max-wait', 'soon'], message: "--max-wait 'soon' is not a number of seconds >= 0" },
    { name: '--state with no path', argv: [...base, '--state', ''], message: '--state needs a file path' },
    { name: 'unknown flag', argv: [...base, '--verbose'], message: "Unknown option '--verbose'" },
    { name: 'missing key', argv: base, env: {}, message: 'STATUSPAGE_API_KEY is not set' },
    { name: 'empty key', argv: base, env: { STATUSPAGE_API_KEY: '' }, message: 'STATUSPAGE_API_KEY is not set' },
  ])('rejects $name', ({ argv, env, message }) => {
    expect(() => parseSyncArgs(argv, env ?? withKey)).toThrow(message);
  });

  it.each([['--api-key', KEY], [`--api-key=${KEY}`]])('rejects %s and points at the env var without echoing the value', (...flag) => {
    let message = '';
    try {
      parseSyncArgs([...base, ...flag], {});
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('--api-key is not accepted');
    expect(message).toContain('STATUSPAGE_API_KEY');
    expect(message).not.toContain(KEY);
  });

  it('never shows the key when the options are printed, serialized or interpolated', () => {
    const options = runOptions(base);
    expect(JSON.stringify(options)).not.toContain(KEY);
    expect(inspect(options, { depth: 5 })).not.toContain(KEY);
    expect(`${options.apiKey}`).not.toContain(KEY);
    expect(options.apiKey?.redact(`oops ${KEY} leaked`)).toBe('oops [redacted] leaked');
  });
});

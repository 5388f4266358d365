/**
 * DESIGN.md §5: unknown keys and bad values are reported by name (`misconfigured`, 503), never a
 * crash. Each row is a manifest the canary really runs with, on both runtimes; the answer must
 * name the key, and must never be a 500, a stack trace, or the secret. One difference is by design:
 * Compute's ConfigStore cannot be listed, so on the wasm an unknown key is not seen at all.
 */
import { afterEach, expect, it } from 'vitest';
import { describeOnRuntimes } from '../support/runtimes';
import { assertNoSecrets } from '../support/secret-scan';
import { startCanaryStack, STACK_ACCESS_ID, STACK_SECRET } from './support/canary-stack';
import type { CanaryStack, CanaryStackOptions } from './support/canary-stack';

interface Row {
  name: string;
  options: CanaryStackOptions;
  /** A fragment of the message; it starts with the key at fault. */
  message: string;
  /** An unknown key: only a store that can be listed (the Node host's) shows it. */
  needsListing?: true;
}

const config = (entries: Record<string, string | null>): CanaryStackOptions => ({ config: entries });
const invalid = (key: string, values: Array<[string, string, string]>): Row[] =>
  values.map(([what, value, message]) => ({ name: `${key} ${what}`, options: config({ [key]: value }), message: `${key}: ${message}` }));

const rows: Row[] = [
  { name: 'bucket missing', options: config({ bucket: null }), message: 'bucket: required, not set' },
  { name: 'object missing', options: config({ object: null }), message: 'object: required, not set' },
  ...invalid('bucket', [['empty', '', 'required, is empty'], ['blank', '   ', 'required, is empty'], ['not a bucket name', 'Bad_Bucket!', 'not a valid GCS bucket name'], ['too long', 'b'.repeat(300), 'not a valid GCS bucket name']]),
  ...invalid('object', [['empty', '', 'required, is empty'], ['a parent segment', 'edge-canary/../other.json', 'must be a plain object name'], ['a leading slash', '/edge-canary/canary.json', 'must be a plain object name'], ['a wildcard', 'edge-canary/*', 'must be a plain object name'], ['a control character', 'edge\u0001canary', 'must be a plain object name'], ['a fragment', 'canary.json#x', 'must be a plain object name']]),
  ...invalid('signing', [['empty', '', 'must be one of goog4, aws4, v2, none'], ['unknown', 'md5', 'must be one of'], ['wrong case', 'GOOG4', 'must be one of']]),
  ...invalid('origin_host', [['empty', '', 'must be a host name'], ['a URL', 'https://storage.googleapis.com', 'must be a host name'], ['with a path', 'storage.googleapis.com/bucket', 'must be a host name']]),
  ...invalid('url_style', [['empty', '', 'must be one of path, virtual'], ['unknown', 'subdomain', 'must be one of path, virtual']]),
  { name: 'url_style virtual with a dotted bucket', options: config({ url_style: 'virtual', bucket: 'files.example.org' }), message: 'url_style: virtual cannot be used with a bucket name containing dots' },
  ...invalid('region', [['empty', '', 'must be a region name'], ['with a space', 'us east1', 'must be a region name']]),
  ...invalid('warn_age_seconds', [['not a number', 'five minutes', 'must be a whole number from 1 to 604800'], ['negative', '-1', 'must be a whole number'], ['a fraction', '1.5', 'must be a whole number'], ['zero', '0', 'must be from 1 to 604800'], ['too large', '604801', 'must be from 1 to 604800'], ['empty', '', 'must be a whole number']]),
  ...invalid('max_age_seconds', [['not a number', 'x', 'must be a whole number'], ['zero', '0', 'must be from 1 to 604800']]),
  { name: 'max_age_seconds below warn_age_seconds', options: config({ warn_age_seconds: '600', max_age_seconds: '300' }), message: 'max_age_seconds: must not be below warn_age_seconds' },
  ...invalid('attempts', [['zero', '0', 'must be from 1 to 5'], ['too many', '6', 'must be from 1 to 5'], ['a word', 'lots', 'must be a whole number'], ['a float', '2.0', 'must be a whole number'], ['empty', '', 'must be a whole number']]),
  ...invalid('deadline_ms', [['too short', '99', 'must be from 100 to 60000'], ['too long', '60001', 'must be from 100 to 60000'], ['exponent notation', '1e4', 'must be a whole number']]),
  ...invalid('result_ttl_ms', [['negative', '-1', 'must be a whole number'], ['too long', '600001', 'must be from 0 to 600000'], ['a word', 'off', 'must be a whole number']]),
  ...invalid('edge_url', [['not a URL', 'cdn.example.org/canary.json', 'not an absolute URL'], ['another scheme', 'ftp://cdn.example.org/canary.json', 'must be an http or https URL'], ['with credentials', 'https://user:pw@cdn.example.org/canary.json', 'must not contain credentials']]),
  { name: 'an unknown key', options: config({ buckett: 'x' }), message: 'buckett: unknown key', needsListing: true },
  { name: 'the secret pasted into the config store', options: config({ hmac_secret: STACK_SECRET }), message: 'hmac_secret: unknown key', needsListing: true },
  { name: 'the secret pasted into a known key', options: config({ region: STACK_SECRET }), message: 'region: must be a region name' },
  { name: 'the access id pasted into a known key', options: config({ bucket: STACK_ACCESS_ID }), message: 'bucket: not a valid GCS bucket name' },
  { name: 'the secret inside a long value that the message cuts short', options: config({ origin_host: `https://${'h'.repeat(40)}/${STACK_SECRET}` }), message: 'origin_host: must be a host name' },
  { name: 'no config store', options: { config: null }, message: 'config store canary_config: not found' },
  { name: 'no secret store', options: { secrets: null }, message: 'secret store canary_secrets: not found' },
  { name: 'an empty secret store', options: { secrets: {} }, message: 'hmac_access_id: missing from secret store canary_secrets' },
  { name: 'hmac_secret missing', options: { secrets: { hmac_access_id: STACK_ACCESS_ID } }, message: 'hmac_secret: missing from secret store canary_secrets' },
  { name: 'hmac_access_id missing', options: { secrets: { hmac_secret: STACK_SECRET } }, message: 'hmac_access_id: missing from secret store canary_secrets' },
  { name: 'hmac_secret empty', options: { secrets: { hmac_access_id: STACK_ACCESS_ID, hmac_secret: '' } }, message: 'hmac_secret: is empty in secret store canary_secrets' },
  { name: 'hmac_access_id blank', options: { secrets: { hmac_access_id: ' \n', hmac_secret: STACK_SECRET } }, message: 'hmac_access_id: is empty in secret store canary_secrets' },
  { name: 'no gcs backend', options: { backends: { gcs: null } }, message: 'backend gcs: not defined' },
  { name: 'edge_url without an edge backend', options: config({ edge_url: 'https://cdn.example.org/canary.json' }), message: 'edge_url: set, but backend edge is not defined' },
];

/** Even a cut-short quote of the secret is a leak: the longest run of its characters found in `text`. */
function longestRunSharedWith(text: string, secret: string): number {
  let longest = 0;
  for (let start = 0; start < secret.length; start++) {
    for (let end = start + longest + 1; end <= secret.length && text.includes(secret.slice(start, end)); end++) longest = end - start;
  }
  return longest;
}

const STACK_TRACE = /\bat .+:\d+:\d+|\.ts:\d+|\bnode:internal\b|TypeError|ReferenceError/;

let stack: CanaryStack | undefined;

afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

describeOnRuntimes('a misconfigured canary answers 503 misconfigured, naming the key', (runtime) => {
  it.each(rows.filter((row) => runtime === 'node' || !row.needsListing))('$name', async ({ options, message }) => {
    stack = await startCanaryStack(runtime, options);
    const base = stack.canary.url;
    const json = await fetch(`${base}/health`);
    const jsonText = await json.text();
    const text = await fetch(`${base}/health?format=text`);
    const textBody = await text.text();
    const metrics = await (await fetch(`${base}/metrics`)).text();

    expect(json.status).toBe(503);
    const report = JSON.parse(jsonText) as { status: string; reason: string; output: string; checks: { config: Array<{ output: string }> } };
    expect(report).toMatchObject({ status: 'fail', reason: 'misconfigured' });
    expect(report.checks.config[0]!.output).toContain(message);
    expect(text.status).toBe(503);
    expect(textBody).toContain(message);
    expect(metrics).toMatch(/^edge_canary_config_valid 0$/m);

    for (const body of [jsonText, textBody, metrics, JSON.stringify(stack.logs)]) {
      expect(body).not.toMatch(STACK_TRACE);
      expect(longestRunSharedWith(body, STACK_SECRET), 'characters of the secret in a row').toBeLessThan(8);
      assertNoSecrets(body, 'a misconfigured answer or log line');
    }
    expect(stack.originRequests()).toEqual([]);
  });

  if (runtime === 'wasm') {
    it.each(rows.filter((row) => row.needsListing))('$name: Compute cannot list the store, so the check runs without the key and never shows it', async ({ options }) => {
      stack = await startCanaryStack(runtime, options);
      const response = await fetch(`${stack.canary.url}/health`);
      const text = await response.text();
      expect([response.status, (JSON.parse(text) as { status: string }).status]).toEqual([200, 'pass']);
      for (const body of [text, JSON.stringify(stack.logs)]) {
        expect(longestRunSharedWith(body, STACK_SECRET), 'characters of the secret in a row').toBeLessThan(8);
        assertNoSecrets(body, 'an answer or log line with an unknown key');
      }
    });
  }

  // The host pattern alone accepts any 1-5 digit port; without the range check every probe would
  // fail as connect_failed ("Invalid URL"), retried, instead of naming origin_host.
  it('origin_host with a port above 65535 is misconfigured, not connect_failed', async () => {
    stack = await startCanaryStack(runtime, config({ origin_host: 'storage.googleapis.com:99999' }));
    const report = (await (await fetch(`${stack.canary.url}/health`)).json()) as { reason: string; output: string };
    expect(report.reason).toBe('misconfigured');
    expect(report.output).toContain('origin_host:');
  });

  it('the same stack with nothing wrong passes (so each row fails for its own reason)', async () => {
    stack = await startCanaryStack(runtime);
    const response = await fetch(`${stack.canary.url}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'pass' });
  });

  it('signing=none needs no secret store at all', async () => {
    stack = await startCanaryStack(runtime, { config: { signing: 'none' }, secrets: null });
    stack.emulator.createBucket('public-canary', { public: true });
    const response = await fetch(`${stack.canary.url}/health`);
    expect(await response.json()).not.toMatchObject({ reason: 'misconfigured' });
  });
});

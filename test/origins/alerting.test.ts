/**
 * docs/origins.md's alerting for a failing fallback, run for real: its Prometheus rules with
 * promtool against the series the canary exposes, and its check_http keyword check against a
 * canary whose fallback refuses its key.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app';
import { renderPrometheus } from '../../src/core/render/prometheus';
import type { Report } from '../../src/core/types';
import { serve } from '../../src/node/server';
import { fallbackFailingReport, passReport } from '../fixtures/reports';
import { pageCheckHttpArgs, runTool } from '../support/doc-commands';
import { canaryBody, canaryResponse, fakePlatform, gcsError } from '../support/fake-platform';
import { docFile } from '../support/readme-snippets';
import { CHECK_HTTP, PROMTOOL, requireTools } from '../support/required-tool';
import { ORIGINS } from './origins-fixture';

const [promtool, checkHttp] = requireTools([PROMTOOL, CHECK_HTTP]);
const PAGE = 'docs/origins.md';
const RULES = () => docFile(PAGE, 'edge-canary-origins-rules.yml');
const INSTANCE = 'job="edge-canary", instance="canary.example.org"';

/** Every sample the canary would expose for the report, as a promtool input series held for 20 minutes. */
function inputSeries(report: Report): { series: string; values: string }[] {
  return renderPrometheus(report).split('\n')
    .filter((line) => line !== '' && !line.startsWith('#') && !line.endsWith(' NaN'))
    .map((line) => {
      const [, metric, labels = '', value] = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line)!;
      return { series: `${metric}{${[INSTANCE, labels].filter(Boolean).join(', ')}}`, values: `${value}x40` };
    });
}

describe.skipIf(promtool === undefined)('docs/origins.md Prometheus rules', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'edge-canary-origins-rules-'));
    await writeFile(join(dir, 'rules.yml'), RULES());
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('promtool accepts them', async () => {
    const result = await runTool(promtool!, ['check', 'rules', join(dir, 'rules.yml')]);
    expect(result.output).toContain('SUCCESS: 2 rules found');
    expect(result.code).toBe(0);
  });

  it('a refused fallback opens a ticket naming it and its reason; the primary alert stays quiet; a healthy canary alerts on nothing', async () => {
    const test = {
      rule_files: ['rules.yml'],
      evaluation_interval: '30s',
      tests: [
        {
          interval: '30s',
          input_series: inputSeries(fallbackFailingReport),
          alert_rule_test: [
            {
              eval_time: '11m',
              alertname: 'EdgeCanaryFallbackUnreadable',
              exp_alerts: [{
                exp_labels: { severity: 'ticket', job: 'edge-canary', instance: 'canary.example.org', target: 'origin:fallback', reason: 'auth_failed' },
                exp_annotations: {
                  summary: 'origin:fallback is auth_failed (canary.example.org): users are unaffected until the primary fails; fix it before then (see /health?format=text)',
                },
              }],
            },
            { eval_time: '11m', alertname: 'EdgeCanaryPrimaryUnreadable', exp_alerts: [] },
          ],
        },
        {
          interval: '30s',
          input_series: inputSeries(passReport),
          alert_rule_test: [
            { eval_time: '11m', alertname: 'EdgeCanaryFallbackUnreadable', exp_alerts: [] },
            { eval_time: '11m', alertname: 'EdgeCanaryPrimaryUnreadable', exp_alerts: [] },
          ],
        },
      ],
    };
    // JSON is YAML: promtool reads the test file as YAML.
    await writeFile(join(dir, 'rules-test.yml'), JSON.stringify(test));
    const result = await runTool(promtool!, ['test', 'rules', join(dir, 'rules-test.yml')]);
    expect(result.output).toContain('SUCCESS');
    expect(result.code, result.output).toBe(0);
  });
});

describe.skipIf(checkHttp === undefined)("docs/origins.md's keyword check, against a canary with a primary and a fallback", () => {
  let fallbackRefuses = false;
  let canary: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    const platform = fakePlatform({
      config: { origins: JSON.stringify(ORIGINS), result_ttl_ms: '0', deadline_ms: '2000' },
      secrets: { primary_access_id: 'B2KEYIDALERTING000000001', primary_secret: 'alerting-primary', archive_access_id: 'AKIAALERTING00000001', archive_secret: 'alerting-archive' },
      backends: ['b2', 'archive'],
      origin: (_request, backend) => (backend === 'archive' && fallbackRefuses ? gcsError(403, 'SignatureDoesNotMatch') : canaryResponse(canaryBody(new Date()))),
    });
    canary = await serve(createApp(platform), { port: 0, hostname: '127.0.0.1' });
  });
  afterAll(() => canary.close());

  it.each([
    { name: 'both origins healthy: OK', refuses: false, code: 0 },
    { name: 'the fallback refused (the canary answers 200 warn): CRITICAL', refuses: true, code: 2 },
  ])('$name', async ({ refuses, code }) => {
    fallbackRefuses = refuses;
    const result = await runTool(checkHttp!, pageCheckHttpArgs(PAGE, new URL(canary.url).port));
    expect(result.code, result.output).toBe(code);
  });
});

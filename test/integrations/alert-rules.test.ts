/**
 * docs/integrations.md's alert rules against the /metrics the canary renders in both configuration
 * forms, run with `promtool test rules`: exactly the documented alerts fire in each state (read
 * from promtool's ALERTS series), a failing primary pages and a failing fallback opens a ticket.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTool } from '../support/doc-commands';
import { docFile } from '../support/readme-snippets';
import { PROMTOOL, requireTools } from '../support/required-tool';
import { makeTempDir, type TempDir } from '../support/temp-dir';
import { scenarioText, type Scenario } from './canary-scenarios';

const [promtool] = requireTools([PROMTOOL]);
const RULES = () => docFile('docs/integrations.md', 'edge-canary-rules.yml');
const INSTANCE = { job: 'edge-canary', instance: 'canary.example.org' };

/** Every sample of a /metrics answer as a promtool input series held for 20 minutes. */
function inputSeries(metrics: string): { series: string; values: string }[] {
  return metrics.split('\n')
    .filter((line) => line !== '' && !line.startsWith('#') && !line.endsWith(' NaN'))
    .map((line) => {
      const [, metric, labels = '', value] = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line)!;
      return { series: `${metric}{job="edge-canary", instance="canary.example.org"${labels ? `, ${labels}` : ''}}`, values: `${value}x40` };
    });
}

type Alert = { alertname: string } & Record<string, string>;
const page = (target: string): Alert => ({ alertname: 'EdgeCanaryOriginUnreadable', severity: 'page', target, check: 'fetch' });
const fallbackTicket = (target: string, reason: string): Alert => ({ alertname: 'EdgeCanaryFallbackUnreadable', severity: 'ticket', target, reason });
const stale = (target: string): Alert => ({ alertname: 'EdgeCanaryStale', severity: 'ticket', target });
const misconfigured: Alert = { alertname: 'EdgeCanaryMisconfigured', severity: 'ticket' };

const ROWS: { scenario: Scenario; fires: Alert[] }[] = [
  { scenario: { name: 'flat keys, healthy', form: 'flat', answers: {} }, fires: [] },
  { scenario: { name: 'flat keys, the bucket refuses the secret', form: 'flat', answers: { gcs: 'refused' } }, fires: [page('origin')] },
  { scenario: { name: 'flat keys, the canary is 1000 s old', form: 'flat', answers: { gcs: 1000 } }, fires: [stale('origin')] },
  { scenario: { name: 'origins, both healthy', form: 'origins', answers: {} }, fires: [] },
  { scenario: { name: 'origins, the primary refuses its secret', form: 'origins', answers: { b2: 'refused' } }, fires: [page('origin:primary')] },
  { scenario: { name: 'origins, the fallback refuses its secret (200 warn)', form: 'origins', answers: { archive: 'refused' } }, fires: [fallbackTicket('origin:fallback', 'auth_failed')] },
  { scenario: { name: 'origins, both refuse', form: 'origins', answers: { b2: 'refused', archive: 'refused' } }, fires: [page('origin:primary'), fallbackTicket('origin:fallback', 'auth_failed')] },
  { scenario: { name: "origins, the fallback's copy is 1000 s old", form: 'origins', answers: { archive: 1000 } }, fires: [fallbackTicket('origin:fallback', 'stale')] },
  { scenario: { name: "origins, the primary's copy is 1000 s old", form: 'origins', answers: { b2: 1000 } }, fires: [stale('origin:primary')] },
  { scenario: { name: 'origins, the second fallback refuses its secret', form: 'origins', answers: { archive2: 'refused' }, secondFallback: true }, fires: [fallbackTicket('origin:fallback-2', 'auth_failed')] },
  // It checks nothing, so it vouches for nothing: in either form its series are target "origin".
  { scenario: { name: 'origins, misconfigured', form: 'origins', answers: {}, invalidOrigins: true }, fires: [page('origin'), misconfigured] },
];

function alertsSeries(alert: Alert): string {
  const labels = { ...INSTANCE, ...alert, alertstate: 'firing' };
  return `ALERTS{${Object.entries(labels).map(([key, value]) => `${key}=${JSON.stringify(value)}`).join(', ')}}`;
}

describe.skipIf(promtool === undefined)("docs/integrations.md's alert rules, both configuration forms", () => {
  let dir: TempDir;
  beforeAll(() => {
    dir = makeTempDir('edge-canary-alert-rules-');
    dir.write('rules.yml', RULES());
  });
  afterAll(() => dir.remove());

  /** Runs one promtool test group over the scenario's /metrics; `checks` holds its promql_expr_test or alert_rule_test. */
  async function promtoolTest(name: string, scenario: Scenario, checks: Record<string, unknown>): Promise<void> {
    const test = {
      rule_files: ['rules.yml'],
      evaluation_interval: '30s',
      tests: [{ interval: '30s', input_series: inputSeries(await scenarioText(scenario, '/metrics')), ...checks }],
    };
    // JSON is YAML: promtool reads the test file as YAML.
    const file = dir.write(`test-${name.replace(/\W+/g, '-')}.yml`, JSON.stringify(test));
    const result = await runTool(promtool!, ['test', 'rules', file]);
    expect(result.output).toContain('SUCCESS');
    expect(result.code, result.output).toBe(0);
  }

  it.each(ROWS)('$scenario.name: fires $fires.length alert(s), exactly those', async ({ scenario, fires }) => {
    // 11 minutes: past every rule's `for`, so whatever would fire has fired.
    await promtoolTest(scenario.name, scenario, {
      promql_expr_test: [{ expr: 'ALERTS{alertstate="firing"}', eval_time: '11m', exp_samples: fires.map((alert) => ({ labels: alertsSeries(alert), value: 1 })) }],
    });
  });

  it("the fallback's ticket names the fallback and its reason", async () => {
    await promtoolTest('fallback summary', { name: 'fallback refused', form: 'origins', answers: { archive: 'refused' } }, {
      alert_rule_test: [{
        eval_time: '11m',
        alertname: 'EdgeCanaryFallbackUnreadable',
        exp_alerts: [{
          exp_labels: { severity: 'ticket', ...INSTANCE, target: 'origin:fallback', reason: 'auth_failed' },
          exp_annotations: { summary: 'origin:fallback is auth_failed (canary.example.org): users are unaffected until the primary fails; fix it before then (see /health?format=text)' },
        }],
      }],
    });
  });
});

/**
 * `promtool test rules` over what the canary really renders: each /metrics answer becomes input
 * series under the scrape job that reads it, and the test reads the firing alerts (promtool's
 * ALERTS series) or one alert's labels and annotations.
 */
import { expect } from 'vitest';
import { runTool } from '../support/doc-commands';
import type { TempDir } from '../support/temp-dir';

/** The documented scrape targets: both jobs scrape the same canary hostname. */
export const INSTANCE = 'canary.example.org';
export const POP_JOB = 'edge-canary';
export const FLEET_JOB = 'edge-canary-fleet';

export interface InputSeries {
  series: string;
  values: string;
}

/** Every sample of a /metrics answer as promtool input series of `job`, held for 20 minutes. */
export function scrapeSeries(metrics: string, job: string): InputSeries[] {
  return metrics.split('\n')
    .filter((line) => line !== '' && !line.startsWith('#') && !line.endsWith(' NaN'))
    .map((line) => {
      const [, metric, labels = '', value] = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line)!;
      return { series: `${metric}{job="${job}", instance="${INSTANCE}"${labels ? `, ${labels}` : ''}}`, values: `${value}x40` };
    });
}

export type Alert = { alertname: string; job: string } & Record<string, string>;

/** The ALERTS series promtool keeps for a firing alert. */
export function alertsSeries(alert: Alert): string {
  const labels = { instance: INSTANCE, ...alert, alertstate: 'firing' };
  return `ALERTS{${Object.entries(labels).map(([key, value]) => `${key}=${JSON.stringify(value)}`).join(', ')}}`;
}

/** 11 minutes: past every rule's `for`, so whatever would fire has fired. */
export const SETTLED = '11m';

/** Exactly `fires` are firing once the rules have settled over `series`. */
export const firingCheck = (fires: Alert[]) => ({
  promql_expr_test: [{ expr: 'ALERTS{alertstate="firing"}', eval_time: SETTLED, exp_samples: fires.map((alert) => ({ labels: alertsSeries(alert), value: 1 })) }],
});

/**
 * Runs one promtool test group over `series` with the rule files already written in `dir`;
 * `checks` holds its promql_expr_test or alert_rule_test.
 */
export async function promtoolRuleTest(promtool: string, dir: TempDir, ruleFiles: string[], name: string, series: InputSeries[], checks: Record<string, unknown>): Promise<void> {
  const test = {
    rule_files: ruleFiles,
    evaluation_interval: '30s',
    tests: [{ interval: '30s', input_series: series, ...checks }],
  };
  // JSON is YAML: promtool reads the test file as YAML.
  const file = dir.write(`test-${name.replace(/\W+/g, '-')}.yml`, JSON.stringify(test));
  const result = await runTool(promtool, ['test', 'rules', file]);
  expect(result.output).toContain('SUCCESS');
  expect(result.code, result.output).toBe(0);
}

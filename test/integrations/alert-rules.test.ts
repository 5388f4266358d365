/**
 * docs/integrations.md's alert rules against the /metrics the canary renders in both configuration
 * forms, run with `promtool test rules`: exactly the documented alerts fire in each state (read
 * from promtool's ALERTS series), a failing primary pages, a failing fallback opens a ticket, and a
 * misconfigured canary pages as misconfigured, never as an unreadable bucket.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { docFile } from '../support/readme-snippets';
import { PROMTOOL, requireTools } from '../support/required-tool';
import { makeTempDir, type TempDir } from '../support/temp-dir';
import { scenarioText, type Scenario } from './canary-scenarios';
import { firingCheck, INSTANCE, POP_JOB, promtoolRuleTest, scrapeSeries, SETTLED, type Alert } from './promtool-rules';

const [promtool] = requireTools([PROMTOOL]);
const RULES = () => docFile('docs/integrations.md', 'edge-canary-rules.yml');

const page = (target: string): Alert => ({ alertname: 'EdgeCanaryOriginUnreadable', job: POP_JOB, severity: 'page', target, check: 'fetch' });
const fallbackTicket = (target: string, reason: string): Alert => ({ alertname: 'EdgeCanaryFallbackUnreadable', job: POP_JOB, severity: 'ticket', target, reason });
const stale = (target: string): Alert => ({ alertname: 'EdgeCanaryStale', job: POP_JOB, severity: 'ticket', target });
const productionPath: Alert = { alertname: 'EdgeCanaryProductionPathBroken', job: POP_JOB, severity: 'page', target: 'edge', check: 'fetch' };
const misconfigured: Alert = { alertname: 'EdgeCanaryMisconfigured', job: POP_JOB, severity: 'page' };

const ROWS: { scenario: Scenario; fires: Alert[] }[] = [
  { scenario: { name: 'flat keys, healthy', form: 'flat', answers: {} }, fires: [] },
  { scenario: { name: 'flat keys, the bucket refuses the secret', form: 'flat', answers: { gcs: 'refused' } }, fires: [page('origin')] },
  { scenario: { name: 'flat keys, the canary is 1000 s old', form: 'flat', answers: { gcs: 1000 } }, fires: [stale('origin')] },
  { scenario: { name: 'flat keys and edge_url, healthy', form: 'flat', edge: true, answers: {} }, fires: [] },
  { scenario: { name: 'flat keys and edge_url, production refuses the canary', form: 'flat', edge: true, answers: { edge: 'refused' } }, fires: [productionPath] },
  // A stale copy read through production is the uploader's problem: a ticket, not the production-path page.
  { scenario: { name: 'flat keys and edge_url, the canary is 1000 s old everywhere', form: 'flat', edge: true, answers: { gcs: 1000, edge: 1000 } }, fires: [stale('origin')] },
  { scenario: { name: 'origins, both healthy', form: 'origins', answers: {} }, fires: [] },
  { scenario: { name: 'origins, the primary refuses its secret', form: 'origins', answers: { b2: 'refused' } }, fires: [page('origin:primary')] },
  { scenario: { name: 'origins, the fallback refuses its secret (200 warn)', form: 'origins', answers: { archive: 'refused' } }, fires: [fallbackTicket('origin:fallback', 'auth_failed')] },
  { scenario: { name: 'origins, both refuse', form: 'origins', answers: { b2: 'refused', archive: 'refused' } }, fires: [page('origin:primary'), fallbackTicket('origin:fallback', 'auth_failed')] },
  { scenario: { name: "origins, the fallback's copy is 1000 s old", form: 'origins', answers: { archive: 1000 } }, fires: [fallbackTicket('origin:fallback', 'stale')] },
  { scenario: { name: "origins, the primary's copy is 1000 s old", form: 'origins', answers: { b2: 1000 } }, fires: [stale('origin:primary')] },
  { scenario: { name: 'origins, the second fallback refuses its secret', form: 'origins', answers: { archive2: 'refused' }, secondFallback: true }, fires: [fallbackTicket('origin:fallback-2', 'auth_failed')] },
  // It checks nothing, so it says nothing about the bucket: its target "origin" series read 0 but must not page as unreadable.
  { scenario: { name: 'origins, misconfigured', form: 'origins', answers: {}, invalidOrigins: true }, fires: [misconfigured] },
];

describe.skipIf(promtool === undefined)("docs/integrations.md's alert rules, both configuration forms", () => {
  let dir: TempDir;
  beforeAll(() => {
    dir = makeTempDir('edge-canary-alert-rules-');
    dir.write('rules.yml', RULES());
  });
  afterAll(() => dir.remove());

  const ruleTest = async (name: string, scenario: Scenario, checks: Record<string, unknown>) =>
    promtoolRuleTest(promtool!, dir, ['rules.yml'], name, scrapeSeries(await scenarioText(scenario, '/metrics'), POP_JOB), checks);

  it.each(ROWS)('$scenario.name: fires $fires.length alert(s), exactly those', async ({ scenario, fires }) => {
    await ruleTest(scenario.name, scenario, firingCheck(fires));
  });

  it("the fallback's ticket names the fallback and its reason", async () => {
    await ruleTest('fallback summary', { name: 'fallback refused', form: 'origins', answers: { archive: 'refused' } }, {
      alert_rule_test: [{
        eval_time: SETTLED,
        alertname: 'EdgeCanaryFallbackUnreadable',
        exp_alerts: [{
          exp_labels: { severity: 'ticket', job: POP_JOB, instance: INSTANCE, target: 'origin:fallback', reason: 'auth_failed' },
          exp_annotations: { summary: 'origin:fallback is auth_failed (canary.example.org): users are unaffected until the primary fails; fix it before then (see /health?format=text)' },
        }],
      }],
    });
  });

  it('the misconfiguration page says the canary is blind and where the fault is named', async () => {
    await ruleTest('misconfigured summary', { name: 'misconfigured', form: 'origins', answers: {}, invalidOrigins: true }, {
      alert_rule_test: [{
        eval_time: SETTLED,
        alertname: 'EdgeCanaryMisconfigured',
        exp_alerts: [{
          exp_labels: { severity: 'page', job: POP_JOB, instance: INSTANCE },
          exp_annotations: { summary: 'edge-canary is misconfigured and checks nothing (canary.example.org): nobody watches the bucket until it is fixed; /health?format=text names the keys at fault' },
        }],
      }],
    });
  });
});

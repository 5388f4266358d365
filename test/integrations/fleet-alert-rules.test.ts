/**
 * docs/fleet.md's fleet rules, with docs/integrations.md's POP rules beside them as a reader runs
 * both, against what a fleet in one process renders: the POP job scrapes /metrics, the fleet job
 * /metrics?scope=fleet of the same edge. Exactly the documented alerts fire in each state: a
 * failing shield pages once, naming its reason; a broken bucket pages once, from the POP job; a
 * fleet typo opens a ticket and never pages as an unreadable bucket.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECRET_FLEET_KEY } from '../../src/core/types';
import { runTool } from '../support/doc-commands';
import { canaryBody, canaryResponse, gcsError, type Origin } from '../support/fake-platform';
import { docFile } from '../support/readme-snippets';
import { PROMTOOL, requireTools } from '../support/required-tool';
import { makeTempDir, type TempDir } from '../support/temp-dir';
import { fleetConfig, fleetSecrets, fleetWorld, SHIELDS } from '../fleet/fleet-world';
import { firingCheck, FLEET_JOB, INSTANCE, POP_JOB, promtoolRuleTest, scrapeSeries, SETTLED, type Alert, type InputSeries } from './promtool-rules';

const [promtool] = requireTools([PROMTOOL]);

/** What the bucket answers at one POP: a canary that many seconds old, or a refused signature. */
type Answer = number | 'refused';
type Site = 'edge' | (typeof SHIELDS)[number];

interface FleetScenario {
  name: string;
  answers?: Partial<Record<Site, Answer>>;
  config?: Record<string, string>;
  secrets?: Record<string, string>;
}

const originAnswering = (answer: Answer = 5): Origin => () =>
  answer === 'refused' ? gcsError(403, 'SignatureDoesNotMatch') : canaryResponse(canaryBody(new Date(Date.now() - answer * 1000)));

/** Both jobs' scrapes of the scenario's edge, as promtool input series. */
async function scrapes(scenario: FleetScenario): Promise<InputSeries[]> {
  const answers = scenario.answers ?? {};
  const world = fleetWorld({
    config: scenario.config,
    secrets: scenario.secrets,
    edge: { pop: 'LHR', origin: originAnswering(answers.edge) },
    shields: {
      'iad-va-us': { pop: 'IAD', shield: 'iad-va-us', origin: originAnswering(answers['iad-va-us']) },
      'bfi-wa-us': { pop: 'BFI', shield: 'bfi-wa-us', origin: originAnswering(answers['bfi-wa-us']) },
    },
  });
  const scrape = async (path: string) => (await world.edge.fetch(new Request(`https://${INSTANCE}${path}`))).text();
  return [...scrapeSeries(await scrape('/metrics'), POP_JOB), ...scrapeSeries(await scrape('/metrics?scope=fleet'), FLEET_JOB)];
}

const shieldPage = (shield: string): Alert => ({ alertname: 'EdgeCanaryShieldFailing', job: FLEET_JOB, severity: 'page', shield });
const originPage: Alert = { alertname: 'EdgeCanaryOriginUnreadable', job: POP_JOB, severity: 'page', target: 'origin', check: 'fetch' };
const staleTicket: Alert = { alertname: 'EdgeCanaryStale', job: POP_JOB, severity: 'ticket', target: 'origin' };
const fleetMisconfigured: Alert = { alertname: 'EdgeCanaryFleetMisconfigured', job: FLEET_JOB, severity: 'ticket' };
const popMisconfigured: Alert = { alertname: 'EdgeCanaryMisconfigured', job: POP_JOB, severity: 'page' };
const withoutFleetKey = (): Record<string, string> => {
  const secrets = fleetSecrets();
  delete secrets[SECRET_FLEET_KEY];
  return secrets;
};

const ROWS: { scenario: FleetScenario; fires: Alert[] }[] = [
  { scenario: { name: 'every site healthy' }, fires: [] },
  { scenario: { name: 'bfi-wa-us cannot read the bucket', answers: { 'bfi-wa-us': 'refused' } }, fires: [shieldPage('bfi-wa-us')] },
  { scenario: { name: 'both shields fail, the edge reads', answers: { 'bfi-wa-us': 'refused', 'iad-va-us': 'refused' } }, fires: [shieldPage('bfi-wa-us'), shieldPage('iad-va-us')] },
  // One incident, one page: the POP job's, not a second one from the fleet job's zeros nor one per shield.
  { scenario: { name: 'every site refused', answers: { edge: 'refused', 'bfi-wa-us': 'refused', 'iad-va-us': 'refused' } }, fires: [originPage] },
  { scenario: { name: 'the canary is 1000 s old everywhere', answers: { edge: 1000, 'bfi-wa-us': 1000, 'iad-va-us': 1000 } }, fires: [staleTicket] },
  { scenario: { name: 'shields has an empty entry', config: fleetConfig({ shields: 'iad-va-us,,bfi-wa-us' }) }, fires: [fleetMisconfigured] },
  { scenario: { name: 'no fleet_key', secrets: withoutFleetKey() }, fires: [fleetMisconfigured] },
  { scenario: { name: 'the whole canary is misconfigured', config: fleetConfig({ bucket: '' }) }, fires: [popMisconfigured] },
];

describe.skipIf(promtool === undefined)("docs/fleet.md's fleet rules beside the POP rules", () => {
  let dir: TempDir;
  beforeAll(() => {
    dir = makeTempDir('edge-canary-fleet-rules-');
    dir.write('rules.yml', docFile('docs/integrations.md', 'edge-canary-rules.yml'));
    dir.write('fleet-alerts.yml', docFile('docs/fleet.md', 'fleet-alerts.yml'));
  });
  afterAll(() => dir.remove());

  const ruleTest = async (scenario: FleetScenario, checks: Record<string, unknown>) =>
    promtoolRuleTest(promtool!, dir, ['rules.yml', 'fleet-alerts.yml'], scenario.name, await scrapes(scenario), checks);

  it('promtool accepts the fleet scrape config and rules', async () => {
    const config = await runTool(promtool!, ['check', 'config', '--syntax-only', dir.write('prometheus-fleet.yml', docFile('docs/fleet.md', 'prometheus-fleet.yml'))]);
    expect(config.code, config.output).toBe(0);
    const rules = await runTool(promtool!, ['check', 'rules', `${dir.path}/fleet-alerts.yml`]);
    expect(rules.output).toContain('SUCCESS: 3 rules found');
    expect(rules.code, rules.output).toBe(0);
  });

  it('the documented scrape configs use the job names the rules read', () => {
    const jobName = (page: 'docs/integrations.md' | 'docs/fleet.md', file: string) => /job_name: (\S+)/.exec(docFile(page, file))?.[1];
    expect(jobName('docs/integrations.md', 'prometheus.yml')).toBe(POP_JOB);
    expect(jobName('docs/fleet.md', 'prometheus-fleet.yml')).toBe(FLEET_JOB);
  });

  it.each(ROWS)('$scenario.name: fires $fires.length alert(s), exactly those', async ({ scenario, fires }) => {
    await ruleTest(scenario, firingCheck(fires));
  });

  it("the shield's page names the shield, its reason and the POP that answered", async () => {
    await ruleTest({ name: 'shield summary', answers: { 'bfi-wa-us': 'refused' } }, {
      alert_rule_test: [{
        eval_time: SETTLED,
        alertname: 'EdgeCanaryShieldFailing',
        exp_alerts: [{
          exp_labels: { severity: 'page', job: FLEET_JOB, instance: INSTANCE, shield: 'bfi-wa-us' },
          exp_annotations: {
            summary: 'Shield bfi-wa-us fails: auth_failed (answered by POP BFI, canary.example.org): production traffic shielded there likely fails on cache misses; see /health?scope=fleet&format=text and the runbook for that reason',
          },
        }],
      }],
    });
  });
});

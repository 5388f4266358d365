/**
 * docs/integrations.md's monitors for a warning (a ticket, not a page), against the text the canary
 * serves in both configuration forms: the keyword table's UptimeRobot and Pingdom settings, and the
 * check_http commands, run for real.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serve } from '../../src/node/server';
import { pageCheckHttpArgs, runTool } from '../support/doc-commands';
import { docText } from '../support/readme-snippets';
import { CHECK_HTTP, requireTools } from '../support/required-tool';
import { scenarioApp, scenarioText, type Scenario } from './canary-scenarios';

const [checkHttp] = requireTools([CHECK_HTTP]);
const PAGE = 'docs/integrations.md';

const SCENARIOS = {
  pass: { name: 'flat keys, healthy', form: 'flat', answers: {} },
  stale: { name: 'flat keys, the canary is 400 s old (warn)', form: 'flat', answers: { gcs: 400 } },
  fail: { name: 'flat keys, the bucket refuses the secret', form: 'flat', answers: { gcs: 'refused' } },
  fallback: { name: 'origins, the fallback refuses its secret (warn)', form: 'origins', answers: { archive: 'refused' } },
  both: { name: 'origins, both refuse (fail)', form: 'origins', answers: { b2: 'refused', archive: 'refused' } },
} satisfies Record<string, Scenario>;
type Name = keyof typeof SCENARIOS;
const NAMES = Object.keys(SCENARIOS) as Name[];

/** The warning table's rows: each monitor alerts when its keyword is there ("exists", "should not contain"). */
function keywordRows(): { service: string; keyword: string }[] {
  const rows = [...docText(PAGE).matchAll(/^\| (UptimeRobot|Pingdom) \| [^|]+ \| [^|]+ \| (?:keyword `([^`]+)`, alert when the keyword \*\*exists\*\*|Should not contain: `([^`]+)`) \| [^|]+ \|$/gm)];
  return rows.map((match) => ({ service: match[1]!, keyword: (match[2] ?? match[3])! }));
}

const KEYWORD_ALERTS: Record<string, Name[]> = {
  'WARN edge-canary': ['stale', 'fallback'],
  'WARN origin:fallback': ['fallback', 'both'],
};

describe("docs/integrations.md's keyword monitors for a warning", () => {
  it('the page documents three of them', () => {
    expect(keywordRows().map(({ service, keyword }) => `${service} ${keyword}`)).toEqual(['UptimeRobot WARN edge-canary', 'UptimeRobot WARN origin:fallback', 'Pingdom WARN edge-canary']);
  });

  it.each(NAMES)('%s: each alerts exactly when it should (keywords matched without regard to case, as UptimeRobot does)', async (name) => {
    const body = (await scenarioText(SCENARIOS[name], '/health?format=text')).toLowerCase();
    for (const { keyword } of keywordRows()) {
      expect(body.includes(keyword.toLowerCase()), `${keyword} in ${name}`).toBe(KEYWORD_ALERTS[keyword]!.includes(name));
    }
  });
});

describe.skipIf(checkHttp === undefined)("docs/integrations.md's check_http commands", () => {
  const canaries = new Map<Name, Awaited<ReturnType<typeof serve>>>();
  beforeAll(async () => {
    for (const name of NAMES) canaries.set(name, await serve(scenarioApp(SCENARIOS[name]), { port: 0, hostname: '127.0.0.1' }));
  });
  afterAll(async () => {
    await Promise.all([...canaries.values()].map((canary) => canary.close()));
  });

  // 0 OK, 2 CRITICAL.
  it.each([
    { command: 'the paging one', containing: "-r '^(PASS|WARN) edge-canary '", codes: { pass: 0, stale: 0, fail: 2, fallback: 0, both: 2 } },
    { command: 'the ticket one, any WARN line', containing: '--invert-regex', codes: { pass: 0, stale: 2, fail: 0, fallback: 2, both: 2 } },
    { command: 'anything short of a pass, -s', containing: "-s 'PASS edge-canary'", codes: { pass: 0, stale: 2, fail: 2, fallback: 2, both: 2 } },
  ])('$command', async ({ containing, codes }) => {
    const seen: Record<string, number> = {};
    for (const name of NAMES) {
      const result = await runTool(checkHttp!, pageCheckHttpArgs(PAGE, new URL(canaries.get(name)!.url).port, containing));
      seen[name] = result.code;
    }
    expect(seen).toEqual(codes);
  });
});

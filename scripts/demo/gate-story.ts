/**
 * `npm run demo -- --gate`: the 2022 incident replayed as a gate. Four drafts of the production
 * service go through `npm run gate --activate` against the fake Fastly API and the local staging
 * network: the wrong secret, a draft that caches the canary, one that falls back to the archive
 * for it, and a good change. The first three never reach production; the last is activated once.
 */
import { styleText } from 'node:util';
import { liveGateDeps } from '../gate/deps';
import { verdictLines } from '../gate/output';
import { runGate, type GateReport } from '../gate/run-gate';
import { ACTIVE_VERSION, DRAFTS, GATE_SERVICE_ID, gateOptionsFor, startGateStack, type GateStack } from './gate-stack';

/** A token only the fake API knows; the story never prints it (the commands show FASTLY_API_TOKEN=…). */
const DEMO_TOKEN = 'demo-only-fastly-token-known-to-the-fake-api-0001';

interface Chapter {
  number: number;
  summary: string;
  expected: GateReport['result'];
}

const CHAPTERS: Chapter[] = [
  { ...DRAFTS.wrongSecret, expected: 'blocked' },
  { ...DRAFTS.cachesCanary, expected: 'blocked' },
  { ...DRAFTS.fallsBack, expected: 'blocked' },
  { ...DRAFTS.good, expected: 'activated' },
];

export async function runGateStory(write: (text: string) => void, colors: boolean): Promise<boolean> {
  const paint = (color: 'bold' | 'dim' | 'green' | 'red', text: string) => (colors ? styleText(color, text) : text);
  const stack = await startGateStack({ token: DEMO_TOKEN });
  try {
    write(`${intro(stack, paint)}\n`);
    const outcomes: string[] = [];
    let asExpected = true;
    for (const chapter of CHAPTERS) {
      write(`\n${paint('bold', `Draft ${chapter.number}: ${chapter.summary}`)}\n`);
      write(`${paint('dim', `$ ${commandFor(stack, chapter.number)}`)}\n`);
      const options = gateOptionsFor(stack, { version: chapter.number, connectTo: { host: '127.0.0.1', port: stack.networks.port('staging') } });
      const report = await runGate(options, liveGateDeps(options, (line) => write(`  ${line}\n`)));
      const ok = report.result === chapter.expected;
      asExpected &&= ok;
      const [headline = '', ...rest] = verdictLines(report);
      write(`  ${paint(report.result === 'activated' ? 'green' : 'red', headline)}\n${rest.map((line) => `  ${line}\n`).join('')}`);
      const verdict = report.result === 'activated' ? `activated, production read ${report.production?.status}` : `${report.result}: ${report.reason}`;
      outcomes.push(`  version ${chapter.number}  ${verdict}${ok ? '' : `  (expected ${chapter.expected})`}`);
    }
    const productionActivations = stack.api.calls().filter((c) => c.method === 'PUT' && /\/version\/\d+\/activate$/.test(c.path));
    asExpected &&= productionActivations.length === 1 && stack.api.activeVersion() === DRAFTS.good.number;
    write(`\n${paint('bold', 'Summary')}\n${outcomes.join('\n')}\n`);
    write(`  production: version ${ACTIVE_VERSION} -> ${stack.api.activeVersion()}, with ${productionActivations.length} activate call(s) in ${stack.api.calls().length} API calls\n`);
    write('  In 2022 the wrong secret was reviewed, diffed and activated; here it never left staging.\n');
    return asExpected;
  } finally {
    await stack.close();
  }
}

function intro(stack: GateStack, paint: (color: 'bold' | 'dim', text: string) => string): string {
  return [
    paint('bold', 'edge-canary demo: the pre-activation gate (npm run gate), replaying the 2022 mistake'),
    '',
    `  Fastly API (fake)   ${stack.api.url}  service ${GATE_SERVICE_ID}, version ${ACTIVE_VERSION} active`,
    `  production network  ${stack.networks.url('production')}  the local production CDN running version ${ACTIVE_VERSION}`,
    `  staging network     ${stack.networks.url('staging')}  runs whichever draft is staged (nothing yet)`,
    `  bucket              ${stack.emulator.url}  private, HMAC-signed reads only; fresh canary object`,
    '',
    'Each draft is staged, read through staging 3 times as the canary\'s edge check reads it, and',
    'activated on production only if every reading passes.',
  ].join('\n');
}

function commandFor(stack: GateStack, version: number): string {
  return `FASTLY_API_TOKEN=… npm run gate -- --service-id ${GATE_SERVICE_ID} --version ${version} --url ${stack.canaryUrl} `
    + `--api-base ${stack.api.url} --connect-to 127.0.0.1:${stack.networks.port('staging')} --settle 0 --interval 0.3 --activate`;
}

/**
 * Canaries in the states an alert or a keyword monitor must tell apart, in both configuration forms:
 * the flat keys (target `origin`) and `origins` (a B2 primary, an S3 archive, optionally a second
 * fallback). Each is the real app on a fake platform, so what the tests read is what it renders.
 */
import { createApp } from '../../src/app';
import { ORIGINS } from '../origins/origins-fixture';
import { canaryBody, canaryResponse, fakePlatform, gcsError, type Origin } from '../support/fake-platform';

/** What each backend answers: a canary of that age in seconds, or a refused signature. */
type Answer = number | 'refused';

export interface Scenario {
  name: string;
  form: 'flat' | 'origins';
  /** By backend: `gcs` (flat), `b2` (primary), `archive` (fallback), `archive2` (second fallback), `edge` (production). */
  answers: Partial<Record<'gcs' | 'b2' | 'archive' | 'archive2' | 'edge', Answer>>;
  /** The flat form with `edge_url`: the canary is also read through the production hostname. */
  edge?: boolean;
  /** A second fallback in the origins list. */
  secondFallback?: boolean;
  /** An `origins` value the canary refuses (misconfigured: it checks nothing). */
  invalidOrigins?: boolean;
}

const SECOND_FALLBACK = { ...ORIGINS[1]!, backend: 'archive2', bucket: 'files-archive-2' };
const FRESH = 5;

function originOf(scenario: Scenario): Origin {
  return (_request, backend) => {
    const answer = scenario.answers[backend as keyof Scenario['answers']] ?? FRESH;
    if (answer === 'refused') return gcsError(403, 'SignatureDoesNotMatch');
    return canaryResponse(canaryBody(new Date(Date.now() - answer * 1000)));
  };
}

export function scenarioApp(scenario: Scenario) {
  const origin = originOf(scenario);
  if (scenario.form === 'flat') {
    const edge: Record<string, string> = scenario.edge ? { edge_url: 'https://files.example.org/edge-canary/canary.json' } : {};
    return createApp(fakePlatform({ origin, config: { bucket: 'pkg-files', object: 'edge-canary/canary.json', result_ttl_ms: '0', deadline_ms: '2000', ...edge } }));
  }
  const origins = scenario.secondFallback ? [...ORIGINS, SECOND_FALLBACK] : ORIGINS;
  return createApp(fakePlatform({
    origin,
    config: { origins: scenario.invalidOrigins ? '[{"role":"primary"' : JSON.stringify(origins), result_ttl_ms: '0', deadline_ms: '2000' },
    secrets: { primary_access_id: 'B2KEYIDSCENARIO000000001', primary_secret: 'scenario-primary', archive_access_id: 'AKIASCENARIO00000001', archive_secret: 'scenario-archive' },
    backends: ['b2', 'archive', 'archive2'],
  }));
}

/** The body a checker gets from `path` of the scenario's canary. */
export async function scenarioText(scenario: Scenario, path: string): Promise<string> {
  return (await scenarioApp(scenario).request(path)).text();
}

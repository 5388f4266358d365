/**
 * One shield of the fleet check: a signed GET of its own check over its shield backend, raced
 * against the fleet's deadline (the runtime does not honour the shield backend's first-byte
 * timeout), abandoned when the deadline wins. Never throws: every outcome is a site.
 */
import { raceDeadline, describeError } from '../attempt';
import { readCapped } from '../canary';
import { HEALTH_JSON_TYPE } from '../render/json';
import { BackendError, type FleetSite, type Platform, type StatuspageStatus } from '../types';
import { FLEET_HEADER, INNER_PATH, signInnerHeader } from './inner-header';
import { hopFailure, MAX_SHIELD_ANSWER_BYTES, readShieldAnswer, type ShieldAnswer } from './shield-answer';

export interface ShieldAsk {
  code: string;
  key: string;
  /** The origin (scheme and host) of the client's request: the shield backend re-enters this same service. */
  base: string;
  deadlineAt: number;
  deadlineMs: number;
}

/** The action for a failed hop, by the answer's evidence (src/core/actions.ts has the rows). */
export type HopAction = (code: string, answer: ShieldAnswer) => string;

export async function askShield(platform: Platform, ask: ShieldAsk, hopAction: HopAction): Promise<FleetSite> {
  const started = platform.now();
  const raced = await raceDeadline(ask.deadlineAt - started, async (abandonment): Promise<ShieldAnswer> => {
    try {
      const request = new Request(new URL(INNER_PATH, ask.base), {
        headers: { accept: HEALTH_JSON_TYPE, [FLEET_HEADER]: await signInnerHeader(ask.key, ask.code, INNER_PATH, platform.now()) },
      });
      const response = await platform.fetchShield(ask.code, request, abandonment);
      return readShieldAnswer(response.status, await readCapped(response.body, MAX_SHIELD_ANSWER_BYTES, abandonment));
    } catch (error) {
      const reason = error instanceof BackendError ? error.kind : 'connect_failed';
      return hopFailure(reason, null, `the shield backend failed: ${describeError(error)}`);
    }
  });
  const answer = raced.cutOff
    ? hopFailure('timeout', null, `no complete answer from the shield within deadline_ms (${ask.deadlineMs} ms)`)
    : raced.value;
  return {
    shield: ask.code,
    answeredBy: 'remote',
    ...answer,
    durationMs: platform.now() - started,
    action: answer.action ?? hopAction(ask.code, answer),
    statuspage: answer.action === null ? hopStatuspage(answer) : answer.statuspage,
  };
}

/**
 * A shield that cannot be reached is read by production no better: an outage there. One that
 * answers something else than a report (a refused signature, a page in front of the service) is
 * the canary's own problem and vouches for nothing.
 */
function hopStatuspage(answer: ShieldAnswer): StatuspageStatus | null {
  return answer.reason === 'timeout' || answer.reason === 'connect_failed' ? 'major_outage' : null;
}

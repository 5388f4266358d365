/**
 * The fleet verdict: every site (this POP's own check, then each shield) judged as the POP check
 * judges its targets. Overall = the worst site; the sentence counts the shields per reason
 * ("auth_failed at 2/2 shields"); Statuspage speaks for the shields, where production reads the
 * bucket: the usual mapping when every shield fails, `partial_outage` when only some do.
 */
import { adviseReport } from '../advice';
import { worstStatus } from '../verdict';
import { CHECK_STATUSES, STATUSPAGE_STATUSES, type CheckStatus, type FleetSite, type Report, type StatuspageStatus } from '../types';
import type { HopAction } from './ask-shield';
import type { ShieldAnswer } from './shield-answer';

const WORST_FIRST: readonly CheckStatus[] = [...CHECK_STATUSES].reverse();
const rank = (status: StatuspageStatus) => STATUSPAGE_STATUSES.indexOf(status);

/** This POP's own check as a site: the edge (shield null), or the shield it runs on. */
export function localSite(local: Report, shield: string | null): FleetSite {
  return {
    shield,
    answeredBy: 'local',
    pop: local.pop,
    status: local.status,
    reason: local.reason,
    httpStatus: null,
    durationMs: local.durationMs,
    output: local.output,
    checkedAt: local.checkedAt,
    action: adviseReport(local).action,
    statuspage: local.statuspage,
  };
}

/**
 * A shield the fleet check did not ask because this POP's memo (SimpleCache) failed: unshared, the
 * check would ask every shield once per request. It vouches for nothing.
 */
export function notAskedSite(shield: string, hopAction: HopAction): FleetSite {
  const answer: ShieldAnswer = {
    status: 'warn', reason: 'not_asked', pop: null, httpStatus: null, checkedAt: null, action: null, statuspage: null,
    output: "not asked: this POP's SimpleCache failed, so the fleet check could not be shared between requests, and asking every shield for every request would multiply the billed requests; this POP's own check ran alone",
  };
  return { shield, answeredBy: 'remote', ...answer, durationMs: 0, action: hopAction(shield, answer) };
}

export interface FleetContext {
  checkedAt: string;
  durationMs: number;
}

/** The fleet report: the local report's targets and settings, with the fleet's verdict on top. */
export function buildFleetReport(local: Report, sites: FleetSite[], context: FleetContext): Report {
  const status = worstStatus(sites.map((site) => site.status));
  const cause = sites.find((site) => site.status === status);
  const shields = sites.filter((site) => site.shield !== null);
  return {
    ...local,
    status,
    reason: status === 'pass' ? 'ok' : (cause?.reason ?? 'ok'),
    httpStatus: status === 'fail' ? 503 : 200,
    statuspage: fleetStatuspage(sites),
    output: describeFleet(sites),
    checkedAt: context.checkedAt,
    durationMs: context.durationMs,
    shared: false,
    since: null,
    fleet: { sites, failingShields: shields.filter((site) => site.status === 'fail').length, shieldCount: shields.length },
  };
}

/**
 * The shields' verdict, since production reads the bucket through them (the shield this POP runs on
 * is one of them; the edge's own check is not). Only shields that vouch (a report with a Statuspage
 * status) count, and a shield is down when its own mapping is an outage (a stale canary is the
 * writer's problem, never one). Every shield down is the usual mapping, the most severe of theirs;
 * some down is partial; none is the worst of the rest; no shield vouching is null, so the sync
 * leaves the page as it is rather than reporting what nobody checked.
 */
export function fleetStatuspage(sites: FleetSite[]): StatuspageStatus | null {
  const vouching = sites
    .filter((site) => site.shield !== null)
    .map((site) => site.statuspage)
    .filter((status): status is StatuspageStatus => status !== null);
  if (vouching.length === 0) return null;
  const down = vouching.filter((status) => rank(status) >= rank('partial_outage'));
  const mostSevere = (of: StatuspageStatus[]) => of.reduce((a, b) => (rank(b) > rank(a) ? b : a));
  if (down.length === vouching.length) return mostSevere(down);
  if (down.length > 0) return 'partial_outage';
  return mostSevere(vouching);
}

/**
 * "timeout at 1/2 shields (bfi-wa-us); ok at 1/2 shields (iad-va-us via IAD) and the edge (LHR)": the
 * worst status first, one group per reason, each naming its shields.
 */
export function describeFleet(sites: FleetSite[]): string {
  const shieldCount = sites.filter((site) => site.shield !== null).length;
  const groups: string[] = [];
  for (const status of WORST_FIRST) {
    const reasons = [...new Set(sites.filter((site) => site.status === status).map((site) => site.reason))];
    for (const reason of reasons) {
      const members = sites.filter((site) => site.status === status && site.reason === reason);
      groups.push(`${reason} ${where(members, shieldCount)}`);
    }
  }
  return groups.join('; ');
}

function where(members: FleetSite[], shieldCount: number): string {
  const shields = members.filter((site) => site.shield !== null);
  const edge = members.find((site) => site.shield === null);
  const edgeWords = edge ? `the edge (${edge.pop ?? 'this POP'})` : '';
  if (shields.length === 0) return `at ${edgeWords}`;
  const shieldWords = `at ${shields.length}/${shieldCount} shields (${shields.map(shieldWithPop).join(', ')})`;
  return edge ? `${shieldWords} and ${edgeWords}` : shieldWords;
}

/** "bfi-wa-us via BFI": the POP that answered, which need not be the shield's own (runningOn can be true elsewhere). */
function shieldWithPop(site: FleetSite): string {
  return site.pop === null ? site.shield! : `${site.shield!} via ${site.pop}`;
}

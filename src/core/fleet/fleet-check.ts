/**
 * `GET /health?scope=fleet`: this POP's own check and, concurrently, each listed shield's own check
 * asked over its shield backend (never the shield this POP runs on: the local check stands for it),
 * all inside one deadline, aggregated into one report. At most once per POP per `result_ttl_ms`:
 * concurrent and later requests in that window share the result, so a flood of fleet requests
 * costs the shields nothing more.
 */
import { actionFor } from '../actions';
import { checkWithSettings, misconfiguredAt, outcomeLogFields, settingsDigest, withSince } from '../check';
import { loadSettings, type Settings } from '../load-settings';
import { sha256Hex } from '../sign/hmac';
import { FLEET_STATUS_NOTE_PREFIX } from '../since';
import type { FleetSite, Platform, Report } from '../types';
import { buildFleetReport, localSite, notAskedSite } from './aggregate';
import { askShield, type HopAction } from './ask-shield';
import { loadFleetSettings, type FleetSettings } from './fleet-settings';

/** `base` is the scheme and host the client asked: the shield backends re-enter this same service there. */
export async function runFleetCheck(platform: Platform, base: string): Promise<Report> {
  const started = platform.now();
  const loaded = await loadSettings(platform);
  const fleet = await loadFleetSettings(platform, loaded.ok ? loaded.settings : null);
  if (!loaded.ok || !fleet.ok) {
    const errors = [...(loaded.ok ? [] : loaded.errors), ...(fleet.ok ? [] : fleet.errors)];
    const report = misconfiguredAt(platform, errors, started);
    logFleet(platform, report);
    return withSince(platform, report, FLEET_STATUS_NOTE_PREFIX);
  }
  const settings = loaded.settings;
  const key = `edge-canary/v1/fleet/${await fleetDigest(settings, fleet.fleet)}`;
  const checked = (askShields: boolean) => async (): Promise<Report> => {
    const report = await checkFleet(platform, settings, fleet.fleet, base, askShields);
    logFleet(platform, report);
    return withSince(platform, report, FLEET_STATUS_NOTE_PREFIX);
  };
  const { value, shared } = await platform.memo(
    key,
    settings.config.resultTtlMs,
    checked(true),
    (report) => JSON.stringify(report),
    (text) => JSON.parse(text) as Report,
    // Without the memo nothing bounds the fan-out: every request would ask every shield again.
    checked(false),
  );
  return { ...value, shared };
}

/** `askShields` false: the memo is unavailable, so the remote shields are reported as not asked. */
async function checkFleet(platform: Platform, settings: Settings, fleet: FleetSettings, base: string, askShields: boolean): Promise<Report> {
  const started = platform.now();
  const { deadlineMs } = settings.config;
  const ask = { key: fleet.key, base, deadlineAt: started + deadlineMs, deadlineMs };
  const remote = fleet.shields.filter((shield) => !shield.runningOn);
  const hopAction = hopActionAt(platform.pop());
  const [local, ...answers] = await Promise.all([
    checkWithSettings(platform, { ok: true, settings }, started),
    ...remote.map((shield) => (askShields
      ? askShield(platform, { ...ask, code: shield.code }, hopAction)
      : Promise.resolve(notAskedSite(shield.code, hopAction)))),
  ]);
  const byCode = new Map(answers.map((site) => [site.shield, site]));
  const sites: FleetSite[] = [
    localSite(local, null),
    ...fleet.shields.map((shield) => (shield.runningOn ? localSite(local, shield.code) : byCode.get(shield.code)!)),
  ];
  return buildFleetReport(local, sites, { checkedAt: new Date(started).toISOString(), durationMs: platform.now() - started });
}

function hopActionAt(pop: string): HopAction {
  return (code, answer) => actionFor({
    target: 'origin', shield: code, reason: answer.reason, httpStatus: answer.httpStatus, errorCode: null, attempts: 1,
    detail: answer.output, ageSeconds: null, writtenAt: null, sequence: null, credential: null, settings: null, pop,
  });
}

/** Another shield list, key or POP configuration is never answered from a result taken before it. */
async function fleetDigest(settings: Settings, fleet: FleetSettings): Promise<string> {
  const keyDigest = (await sha256Hex(`edge-canary-fleet-key\n${fleet.key}`)).slice(0, 16);
  return (await sha256Hex(JSON.stringify([await settingsDigest(settings), fleet.shields, keyDigest]))).slice(0, 16);
}

function logFleet(platform: Platform, report: Report): void {
  platform.log({
    ...outcomeLogFields(report, 'Fleet probe'),
    sites: (report.fleet?.sites ?? []).map((site) => ({
      shield: site.shield, answered_by: site.answeredBy, pop: site.pop, status: site.status, reason: site.reason,
      http_status: site.httpStatus, duration_ms: site.durationMs,
    })),
  });
}

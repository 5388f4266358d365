/** What the demo prints: the cast, the timeline lines, and the detection times side by side. */
import { styleText } from 'node:util';
import { duringOutage, type IncidentPlan, type IncidentResult, type MonitorVerdict, type TimelineEvent } from './scenario';

export type Color = 'green' | 'red' | 'yellow' | 'dim' | 'bold';
export type Paint = (color: Color, text: string) => string;

/** What differs between the scenes: who is on stage, what the two actions are, what the classic monitor is. */
export interface Scene<C> {
  intro(cast: C, plan: IncidentPlan, paint: Paint): string[];
  rotateText: string;
  restoreText: string;
  /** `classic monitor`, `synthetic check`: padded to the same width in the summary. */
  classicLabel: string;
  /** Why it stayed green, after `N of N checks`: `answered 200 from cache`. */
  classicGreenBecause(result: IncidentResult): string;
}

export interface Narrator<C = Cast> {
  intro(cast: C, plan: IncidentPlan): string;
  event(event: TimelineEvent): string;
  summary(result: IncidentResult): string;
}

export interface Cast {
  emulatorUrl: string;
  cdnUrl: string;
  packageUrl: string;
  healthUrl: string;
  bucket: string;
  /** Masked: first 4 and last 4 characters. */
  accessId: string;
  uploadIntervalMs: number;
  /** The canary's result_ttl_ms: one deep check shared by every request in that window. */
  resultTtlMs: number;
  /** What serves the canary, e.g. `bin/main.wasm on the local Compute host`. */
  servedBy: string;
}

export const INCIDENT_2022: Scene<Cast> = {
  intro(cast, plan, paint) {
    return [
      paint('bold', 'edge-canary demo: the June 2022 PyPI incident, replayed on this machine'),
      '',
      `  GCS emulator     ${cast.emulatorUrl}  private bucket ${cast.bucket}, HMAC-signed reads only`,
      `  uploader         rewrites the canary object every ${seconds(cast.uploadIntervalMs)}`,
      `  production CDN   ${cast.cdnUrl}  signs with key ${cast.accessId}, caches package files for a day,`,
      '                   canary path always pass (the snippets/ rule)',
      `  classic monitor  GET ${cast.packageUrl} every ${seconds(plan.pollMs)}  (what PyPI watched)`,
      `  edge-canary      GET ${cast.healthUrl} every ${seconds(plan.pollMs)}  (origin + edge checks,`,
      `                   one check shared per result_ttl_ms = ${seconds(cast.resultTtlMs)}),`,
      `                   served by ${cast.servedBy}`,
      '',
      `At ${tPlus(plan.rotateAtMs)} the key's secret changes on the bucket while the CDN and the canary keep the old one`,
      `(the 2022 mistake: a wrong HMAC secret). At ${tPlus(plan.restoreAtMs)} it is put back.`,
      '',
    ];
  },
  rotateText: '>>> HMAC secret rotated on the bucket: every uncached read by the CDN now gets 403',
  restoreText: '>>> HMAC secret restored on the bucket',
  classicLabel: 'classic monitor',
  classicGreenBecause: fromCache,
};

/** Counted, not assumed: how many of the outage's green checks the CDN answered from its cache. */
export function fromCache(result: IncidentResult): string {
  const green = duringOutage(result.observations.classic, result.rotatedAt, result.restoredAt).filter((o) => o.ok);
  const cached = green.filter((o) => o.fromCache).length;
  return cached === green.length ? 'answered 200 from cache' : `answered 200, ${cached} of them from cache`;
}

export function createNarrator<C>(colors: boolean, chosen: Scene<C>): Narrator<C> {
  const paint: Paint = (color, text) => (colors ? styleText(color, text) : text);
  const state = (ok: boolean, text: string) => paint(ok ? 'green' : 'red', text);
  const label = chosen.classicLabel.padEnd(16);

  return {
    intro(cast: C, plan: IncidentPlan) {
      return chosen.intro(cast, plan, paint).join('\n');
    },

    event(event) {
      const at = paint('dim', tPlus(event.at).padEnd(7));
      if (event.kind === 'action') {
        const text = event.action === 'rotate' ? chosen.rotateText : chosen.restoreText;
        return `${at}  ${paint('yellow', text)}`;
      }
      const classic = state(event.classic.ok, event.classic.summary.padEnd(18));
      const canary = state(event.canary.ok, event.canary.summary);
      const line = `${at}  ${chosen.classicLabel}: ${classic}  canary: ${canary}`;
      return event.kind === 'heartbeat' ? `${line}${paint('dim', '  (no change)')}` : line;
    },

    summary(result) {
      if (result.rotatedAt === null) return `${paint('yellow', 'Stopped before the key was rotated: nothing to compare.')}\n`;
      const end = result.restoredAt ?? result.observations.canary.at(-1)?.at ?? result.rotatedAt;
      const outage = `${tPlus(result.rotatedAt)} .. ${tPlus(end)} (${seconds(end - result.rotatedAt)})`;
      const canary = result.canary.firstFailure
        ? state(false, `detected after ${seconds(result.canary.detectionMs ?? 0)}: ${result.canary.firstFailure.summary}`) + recovery(result.canary, result)
        : state(true, 'never detected it');
      const classic = result.classic.firstFailure
        ? state(false, `detected after ${seconds(result.classic.detectionMs ?? 0)}: ${result.classic.firstFailure.summary}`)
        : `${paint('yellow', 'never')} (stayed green for the whole outage: ${result.classic.outageOk} of ${result.classic.outageObservations} checks ${chosen.classicGreenBecause(result)})`;
      return [
        '',
        paint('bold', `Outage ${outage}${result.interrupted ? ', interrupted' : ''}`),
        `  edge-canary      ${canary}`,
        `  ${label} ${classic}`,
        '',
      ].join('\n');
    },
  };
}

function recovery(verdict: MonitorVerdict, result: IncidentResult): string {
  if (result.restoredAt === null) return '';
  return verdict.recoveryMs === null ? '; not green again before the end' : `; green again ${seconds(verdict.recoveryMs)} after the restore`;
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

export function tPlus(ms: number): string {
  return `T+${(ms / 1000).toFixed(1)}s`;
}

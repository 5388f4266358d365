/** What the demo prints: the cast, the timeline lines, and the detection times side by side. */
import { styleText } from 'node:util';
import type { IncidentPlan, IncidentResult, MonitorVerdict, TimelineEvent } from './scenario';

type Color = 'green' | 'red' | 'yellow' | 'dim' | 'bold';

export interface Narrator {
  intro(cast: Cast, plan: IncidentPlan): string;
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

export function createNarrator(colors: boolean): Narrator {
  const paint = (color: Color, text: string) => (colors ? styleText(color, text) : text);
  const state = (ok: boolean, text: string) => paint(ok ? 'green' : 'red', text);

  return {
    intro(cast, plan) {
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
      ].join('\n');
    },

    event(event) {
      const at = paint('dim', tPlus(event.at).padEnd(7));
      if (event.kind === 'action') {
        const text = event.action === 'rotate'
          ? '>>> HMAC secret rotated on the bucket: every uncached read by the CDN now gets 403'
          : '>>> HMAC secret restored on the bucket';
        return `${at}  ${paint('yellow', text)}`;
      }
      const classic = state(event.classic.ok, event.classic.summary.padEnd(18));
      const canary = state(event.canary.ok, event.canary.summary);
      const line = `${at}  classic monitor: ${classic}  canary: ${canary}`;
      return event.kind === 'heartbeat' ? `${line}${paint('dim', '  (no change)')}` : line;
    },

    summary(result) {
      if (result.rotatedAt === null) return paint('yellow', 'Stopped before the key was rotated: nothing to compare.');
      const end = result.restoredAt ?? result.observations.canary.at(-1)?.at ?? result.rotatedAt;
      const outage = `${tPlus(result.rotatedAt)} .. ${tPlus(end)} (${seconds(end - result.rotatedAt)})`;
      const canary = result.canary.firstFailure
        ? state(false, `detected after ${seconds(result.canary.detectionMs ?? 0)}: ${result.canary.firstFailure.summary}`) + recovery(result.canary, result)
        : state(true, 'never detected it');
      const classic = result.classic.firstFailure
        ? state(false, `detected after ${seconds(result.classic.detectionMs ?? 0)}: ${result.classic.firstFailure.summary}`)
        : `${paint('yellow', 'never')} (stayed green for the whole outage: ${result.classic.outageOk} of ${result.classic.outageObservations} checks answered 200 from cache)`;
      return [
        '',
        paint('bold', `Outage ${outage}${result.interrupted ? ', interrupted' : ''}`),
        `  edge-canary      ${canary}`,
        `  classic monitor  ${classic}`,
        '',
      ].join('\n');
    },
  };
}

function recovery(verdict: MonitorVerdict, result: IncidentResult): string {
  if (result.restoredAt === null) return '';
  return verdict.recoveryMs === null ? '; not green again before the end' : `; green again ${seconds(verdict.recoveryMs)} after the restore`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function tPlus(ms: number): string {
  return `T+${(ms / 1000).toFixed(1)}s`;
}

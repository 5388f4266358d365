/** The bench's verdicts against DESIGN.md §8, a table for people and one JSON line for machines. */
import type { DetectionResult } from './detection';
import type { FloodResult } from './flood';
import type { GuestResult } from './guest';
import { guestJson, guestRows } from './guest-report';
import type { OverheadResult } from './overhead';
import { round } from './stats';
import type { ThroughputResult } from './throughput';
import type { WasmResult } from './wasm';

export const MAX_OVERHEAD_P50 = 1.5;
export const DETECTION_SLACK_MS = 1000;
/** DESIGN.md §8: 15 MB, decimal, the stricter reading. */
export const MAX_WASM_BYTES = 15_000_000;

export interface BenchFigures {
  overhead: OverheadResult;
  flood: FloodResult;
  detection: DetectionResult;
  throughput: ThroughputResult;
  wasm: WasmResult | null;
  /** Guest figures on the local Compute host; null with --guest-requests 0. */
  guest: GuestResult | null;
  resultTtlMs: number;
  connections: number;
  seconds: number;
}

export interface Row {
  figure: string;
  value: string;
  target: string;
  /** null: reported, no target. */
  met: boolean | null;
}

const ms = (value: number) => `${round(value, 2)} ms`;

export function rows(f: BenchFigures): Row[] {
  const detectionLimit = f.resultTtlMs + DETECTION_SLACK_MS;
  const t = f.throughput;
  const list: Row[] = [
    { figure: 'overhead p50: /health (coalescing off) ÷ direct signed GET', value: `${round(f.overhead.ratioP50)} (median of ${f.overhead.roundRatiosP50.length} rounds, ${round(Math.min(...f.overhead.roundRatiosP50))} to ${round(Math.max(...f.overhead.roundRatiosP50))}; pooled ${ms(f.overhead.health.p50)} ÷ ${ms(f.overhead.direct.p50)})`, target: `≤ ${MAX_OVERHEAD_P50}`, met: f.overhead.ratioP50 <= MAX_OVERHEAD_P50 },
    { figure: 'overhead p99', value: `${round(f.overhead.ratioP99)} (${ms(f.overhead.health.p99)} ÷ ${ms(f.overhead.direct.p99)})`, target: '-', met: null },
    { figure: `flood: origin GETs for ${f.flood.requests} concurrent /health`, value: `${f.flood.originGets} in ${f.flood.windows} window(s), ${Math.round(f.flood.durationMs)} ms, ${f.flood.sharedAnswers} shared`, target: '≤ 1 per window', met: f.flood.originGets <= f.flood.windows },
    { figure: 'detection: key rotated → first 503 (polling every 100 ms)', value: f.detection.detectedMs === null ? 'none' : `${ms(f.detection.detectedMs)} (${f.detection.reason})`, target: `≤ ${detectionLimit} ms`, met: f.detection.detectedMs !== null && f.detection.detectedMs <= detectionLimit },
    { figure: `throughput: /health, coalescing on (${t.generator}${t.note ? ` - ${t.note}` : ''}, ${f.connections} conns, ${f.seconds} s)`, value: `${Math.round(t.requestsPerSecond)} req/s, p50 ${ms(t.p50Ms)}, p99 ${ms(t.p99Ms)}, ${t.non2xx} non-2xx`, target: '-', met: null },
    { figure: 'throughput: origin GETs during the load', value: `${t.originGets} for ${t.requests} answers`, target: `≤ ${t.windows} windows`, met: t.originGets <= t.windows },
  ];
  list.push(...guestRows(f.guest));
  if (f.wasm) {
    list.push({ figure: 'bin/main.wasm size, build time', value: `${round(f.wasm.bytes / 1e6, 2)} MB, ${round(f.wasm.buildSeconds, 1)} s`, target: `≤ ${MAX_WASM_BYTES / 1e6} MB`, met: f.wasm.bytes <= MAX_WASM_BYTES });
  }
  return list;
}

export function renderTable(list: Row[]): string {
  const header: Row = { figure: 'figure', value: 'measured', target: 'target', met: null };
  const cells = [header, ...list].map((row, i) => [row.figure, row.value, row.target, i === 0 ? 'verdict' : row.met === null ? '' : row.met ? 'met' : 'MISSED']);
  const widths = [0, 1, 2].map((col) => Math.max(...cells.map((c) => c[col]!.length)));
  return cells.map((c) => c.map((cell, col) => (col < 3 ? cell.padEnd(widths[col]!) : cell)).join('  ').trimEnd()).join('\n');
}

export function missedTargets(list: Row[]): string[] {
  return list.filter((row) => row.met === false).map((row) => row.figure);
}

export function jsonLine(f: BenchFigures, missed: string[]): string {
  return JSON.stringify({
    bench: 'edge-canary',
    node: process.version,
    overhead: {
      requests: f.overhead.health.count, health_p50_ms: round(f.overhead.health.p50, 3), health_p99_ms: round(f.overhead.health.p99, 3),
      direct_p50_ms: round(f.overhead.direct.p50, 3), direct_p99_ms: round(f.overhead.direct.p99, 3),
      ratio_p50: round(f.overhead.ratioP50, 3), ratio_p99: round(f.overhead.ratioP99, 3), round_ratios_p50: f.overhead.roundRatiosP50.map((r) => round(r, 3)),
    },
    flood: { requests: f.flood.requests, origin_gets: f.flood.originGets, windows: f.flood.windows, duration_ms: Math.round(f.flood.durationMs), shared: f.flood.sharedAnswers, statuses: f.flood.statuses },
    detection: { result_ttl_ms: f.resultTtlMs, detected_ms: f.detection.detectedMs === null ? null : Math.round(f.detection.detectedMs), reason: f.detection.reason },
    throughput: {
      generator: f.throughput.generator, generator_note: f.throughput.note, connections: f.connections, seconds: f.seconds, requests_per_second: Math.round(f.throughput.requestsPerSecond),
      p50_ms: round(f.throughput.p50Ms, 3), p99_ms: round(f.throughput.p99Ms, 3), non_2xx: f.throughput.non2xx, origin_gets: f.throughput.originGets,
    },
    wasm: f.wasm === null ? null : { bytes: f.wasm.bytes, build_seconds: round(f.wasm.buildSeconds, 1) },
    guest: guestJson(f.guest),
    targets_met: missed.length === 0,
    missed,
  });
}

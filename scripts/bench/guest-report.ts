/** The guest figures' rows in the bench table and their part of the final JSON line. */
import type { GuestResult, GuestSample } from './guest';
import type { Row } from './report';
import { round } from './stats';

/** Fastly Compute's CPU time per request (DESIGN.md §9). */
export const COMPUTE_CPU_MS = 50;
/** Fastly Compute's heap per request; the guest's linear memory is an upper bound of its heap. */
export const COMPUTE_HEAP_BYTES = 128 * 1024 * 1024;

const ms = (value: number) => `${round(value, 2)} ms`;
const mb = (bytes: number) => `${round(bytes / (1024 * 1024), 1)} MiB`;

export function peakMemoryBytes(g: GuestResult): number {
  return Math.max(g.live.peakMemoryBytes, g.health.peakMemoryBytes);
}

export function guestRows(g: GuestResult | null): Row[] {
  if (g === null) return [];
  const share = (value: number) => `${round((100 * value) / COMPUTE_CPU_MS, 1)}% of ${COMPUTE_CPU_MS} ms`;
  return [
    // Reported against Compute's CPU limit, not judged: wall-clock guest time on a shared machine
    // counts the time the thread waited for a core, which Compute's CPU meter does not.
    { figure: 'guest: /health time in guest code (excl. I/O waits), p50 / p99', value: `${ms(g.health.guestMs.p50)} / ${ms(g.health.guestMs.p99)} (p50 ${share(g.health.guestMs.p50)} CPU)`, target: '-', met: null },
    { figure: 'guest: /live time in guest code, p50 / p99', value: `${ms(g.live.guestMs.p50)} / ${ms(g.live.guestMs.p99)}`, target: '-', met: null },
    { figure: 'guest: /health ÷ minimal js-compute handler, p50', value: `${round(g.healthToFloorP50)} (${ms(g.health.guestMs.p50)} ÷ ${ms(g.floor.guestMs.p50)})`, target: '-', met: null },
    { figure: 'guest: instantiation per request p50 (/live, /health, floor)', value: [g.live, g.health, g.floor].map((s) => ms(s.instantiateMs.p50)).join(', '), target: '-', met: null },
    { figure: 'guest: peak linear memory (canary)', value: `${mb(peakMemoryBytes(g))} (floor ${mb(g.floor.peakMemoryBytes)})`, target: `≤ ${mb(COMPUTE_HEAP_BYTES)} (Compute heap)`, met: peakMemoryBytes(g) <= COMPUTE_HEAP_BYTES },
  ];
}

function sampleJson(s: GuestSample) {
  return {
    requests: s.guestMs.count,
    guest_p50_ms: round(s.guestMs.p50, 3), guest_p99_ms: round(s.guestMs.p99, 3),
    instantiate_p50_ms: round(s.instantiateMs.p50, 3), instantiate_p99_ms: round(s.instantiateMs.p99, 3),
    wall_p50_ms: round(s.wallMs.p50, 3), peak_memory_bytes: s.peakMemoryBytes,
  };
}

export function guestJson(g: GuestResult | null) {
  if (g === null) return null;
  return {
    live: sampleJson(g.live), health: sampleJson(g.health), floor: sampleJson(g.floor),
    health_to_floor_p50: round(g.healthToFloorP50, 3), peak_memory_bytes: peakMemoryBytes(g),
    compute_cpu_ms: COMPUTE_CPU_MS, floor_build_seconds: round(g.floorBuildSeconds, 1),
  };
}

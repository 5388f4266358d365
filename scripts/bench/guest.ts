/**
 * Guest figures on the local Compute host (DESIGN.md §8): per request, the time spent executing
 * guest code (the host's clock of `_start` minus the time blocked in hostcalls waiting for I/O)
 * and the time to instantiate the module, for the canary's /live and /health (coalescing off, so
 * every /health runs the deep check against the emulator) and for a minimal js-compute handler the
 * bench builds itself: the runtime's own floor. Requests are sequential, so one request's figures
 * never include another's work. Guest time is measured on the wall clock, so a busy machine
 * inflates it; the ratio to the floor, measured in the same rounds, is the steadier figure.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startComputeHost } from '../compute-host/index';
import type { GuestRequestStats } from '../compute-host/index';
import { parseManifest } from '../../src/node/manifest';
import { canaryManifestToml, DEMO_SECRET_ENV } from '../demo/canary-manifest';
import { buildWasm, ensureWasm } from '../stack/wasm-artifact';
import type { BenchCredentials } from './stack';
import { BENCH_BUCKET, BENCH_OBJECT, BENCH_ORIGIN_HOST } from './stack';
import { summarize } from './stats';
import type { Summary } from './stats';

/** The whole handler of the floor: what every js-compute service costs before its own code runs. */
const FLOOR_SOURCE = "addEventListener('fetch', (event) => event.respondWith(new Response('ok\\n')));\n";

export interface GuestSample {
  path: string;
  guestMs: Summary;
  instantiateMs: Summary;
  wallMs: Summary;
  /** Largest linear memory any of these instances reached. */
  peakMemoryBytes: number;
}

export interface GuestResult {
  live: GuestSample;
  health: GuestSample;
  floor: GuestSample;
  /** Canary /health guest p50 ÷ floor guest p50, same host, same run. */
  healthToFloorP50: number;
  floorBuildSeconds: number;
}

export interface GuestBenchInput {
  emulatorUrl: string;
  credentials: BenchCredentials;
  requests: number;
  warmup: number;
  log: (line: string) => void;
}

/** A host that reports each request's figures, kept by path. */
async function statsHost(wasm: string, manifestText: string, env: Record<string, string>) {
  const seen: GuestRequestStats[] = [];
  const host = await startComputeHost({
    wasm,
    manifest: parseManifest(manifestText, { file: 'bench guest manifest', dir: process.cwd() }),
    host: '127.0.0.1',
    port: 0,
    env,
    // The canary's probe lines would bury the table; the figures are what this host is for.
    log: () => undefined,
    onRequestStats: (stats) => seen.push(stats),
  });
  return { url: host.url, seen, close: () => host.close() };
}

type StatsHost = Awaited<ReturnType<typeof statsHost>>;

async function getOk(url: string): Promise<void> {
  const response = await fetch(url);
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`guest bench: ${url} answered ${response.status}; the figures would measure a failure`);
}

/** The figures of the last `requests` clean sandboxes of `path`, once the host has reported them all. */
async function collect(host: StatsHost, path: string, requests: number, expected: number): Promise<GuestSample> {
  const ofPath = () => host.seen.filter((stats) => stats.path === path);
  // A sandbox reports after it has answered: give the last ones a moment.
  for (let waited = 0; ofPath().length < expected && waited < 5000; waited += 10) await new Promise((r) => setTimeout(r, 10));
  const mine = ofPath().slice(-requests).filter((stats) => stats.outcome === 'ok');
  if (mine.length < requests) throw new Error(`guest bench: ${requests} requests to ${path}, ${mine.length} clean sandbox reports`);
  return {
    path,
    guestMs: summarize(mine.map((stats) => stats.guestMs)),
    instantiateMs: summarize(mine.map((stats) => stats.instantiateMs)),
    wallMs: summarize(mine.map((stats) => stats.wallMs)),
    peakMemoryBytes: Math.max(...mine.map((stats) => stats.memoryBytes)),
  };
}

async function buildFloor(dir: string): Promise<{ wasm: string; seconds: number }> {
  const source = join(dir, 'floor.js');
  await writeFile(source, FLOOR_SOURCE);
  const wasm = join(dir, 'floor.wasm');
  return { wasm, seconds: await buildWasm(wasm, source) };
}

export async function measureGuest(input: GuestBenchInput): Promise<GuestResult> {
  const artifact = await ensureWasm(input.log);
  const dir = await mkdtemp(join(tmpdir(), 'edge-canary-bench-floor-'));
  try {
    input.log('guest: building the minimal js-compute handler (the runtime floor) into a temp dir');
    const floorBuild = await buildFloor(dir);
    const manifest = canaryManifestToml({
      emulatorUrl: input.emulatorUrl, bucket: BENCH_BUCKET, object: BENCH_OBJECT, accessId: input.credentials.accessId,
      config: { signing: 'goog4', origin_host: BENCH_ORIGIN_HOST, result_ttl_ms: '0' },
    });
    const canary = await statsHost(artifact.path, manifest, { [DEMO_SECRET_ENV]: input.credentials.secret });
    const floorHost = await statsHost(floorBuild.wasm, '', {}).catch(async (error: unknown) => {
      await canary.close();
      throw error;
    });
    let live: GuestSample;
    let health: GuestSample;
    let floor: GuestSample;
    try {
      input.log(`guest: ${input.warmup} warm-up + ${input.requests} rounds of /live, /health (bin/main.wasm) and the floor, one request at a time`);
      // Interleaved, so a change in the machine's load hits the canary and the floor alike.
      const rounds = input.warmup + input.requests;
      for (let i = 0; i < rounds; i++) {
        await getOk(`${canary.url}/live`);
        await getOk(`${canary.url}/health`);
        await getOk(`${floorHost.url}/`);
      }
      live = await collect(canary, '/live', input.requests, rounds);
      health = await collect(canary, '/health', input.requests, rounds);
      floor = await collect(floorHost, '/', input.requests, rounds);
    } finally {
      await canary.close();
      await floorHost.close();
    }
    return { live, health, floor, healthToFloorP50: health.guestMs.p50 / floor.guestMs.p50, floorBuildSeconds: floorBuild.seconds };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Canary overhead: `/health` with coalescing off (so each answer is a real signed origin read), as
 * a checker with a kept-alive connection sees it, against a signed GET of the same object made by
 * the same process the way the canary makes it (signObjectRequest + the Node host's
 * fetchBackend).
 *
 * On a shared 2-core machine one pooled p50 moved from 1.45 to 1.53 between consecutive runs, so the
 * figure is a median of medians: several rounds, each interleaving the two sides request by request
 * (and swapping which goes first on every pair, so neither always meets a just-woken process), one
 * ratio of medians per round, and the median of those ratios.
 */
import http from 'node:http';
import { signObjectRequest } from '../../src/core/sign';
import { USER_AGENT } from '../../src/core/probe';
import { BACKEND_GCS } from '../../src/core/types';
import { checkerGet } from './http';
import { BENCH_BUCKET, BENCH_OBJECT, BENCH_ORIGIN_HOST } from './stack';
import type { BenchStack } from './stack';
import { medianOfRoundRatios, summarize } from './stats';
import type { PairedRound, Summary } from './stats';

export interface OverheadResult {
  /** Every measured request of all rounds, pooled. */
  health: Summary;
  direct: Summary;
  /** Median over rounds of (health p50 ÷ direct p50) in that round: the figure with the target. */
  ratioP50: number;
  /** Pooled p99 ÷ pooled p99 (too few samples per round for a per-round p99). */
  ratioP99: number;
  /** Each round's p50 ratio, in the order measured, to show the spread. */
  roundRatiosP50: number[];
}

type Timed = () => Promise<{ status: number; body: string; ms: number }>;

async function measureRound(health: Timed, direct: Timed, pairs: number, warmup: number): Promise<PairedRound> {
  const healthMs: number[] = [];
  const directMs: number[] = [];
  for (let i = 0; i < warmup + pairs; i++) {
    const healthFirst = i % 2 === 0;
    const first = await (healthFirst ? health : direct)();
    const second = await (healthFirst ? direct : health)();
    const [viaCanary, viaDirect] = healthFirst ? [first, second] : [second, first];
    if (viaCanary.status !== 200) throw new Error(`/health answered ${viaCanary.status}: ${viaCanary.body.slice(0, 200)}`);
    if (viaDirect.status !== 200) throw new Error(`the direct signed GET answered ${viaDirect.status}`);
    if (i < warmup) continue;
    healthMs.push(viaCanary.ms);
    directMs.push(viaDirect.ms);
  }
  return { numeratorMs: healthMs, denominatorMs: directMs };
}

export async function measureOverhead(stack: BenchStack, options: { requests: number; warmup: number; rounds: number }): Promise<OverheadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const healthUrl = `${stack.canaryOff.url}/health`;
  // Signing is part of a signed GET: the clock starts before it, as it does for /health.
  const direct: Timed = async () => {
    const started = performance.now();
    const signed = await signObjectRequest({
      method: 'GET', scheme: 'goog4', region: 'auto', date: new Date(),
      location: { host: BENCH_ORIGIN_HOST, bucket: BENCH_BUCKET, object: BENCH_OBJECT, urlStyle: 'path' },
      accessId: stack.credentials.accessId, secret: stack.credentials.secret,
    });
    const response = await stack.canaryOff.platform.fetchBackend(BACKEND_GCS, new Request(signed.url, { headers: { ...signed.headers, 'user-agent': USER_AGENT } }));
    const body = await response.text();
    return { status: response.status, body, ms: performance.now() - started };
  };
  const health: Timed = () => checkerGet(healthUrl, agent);

  const rounds: PairedRound[] = [];
  try {
    // The warm-up runs once, before the first round; later rounds start warm.
    for (let r = 0; r < options.rounds; r++) rounds.push(await measureRound(health, direct, options.requests, r === 0 ? options.warmup : 0));
  } finally {
    agent.destroy();
  }
  const healthSummary = summarize(rounds.flatMap((r) => r.numeratorMs));
  const directSummary = summarize(rounds.flatMap((r) => r.denominatorMs));
  const { ratio, roundRatios } = medianOfRoundRatios(rounds);
  return {
    health: healthSummary,
    direct: directSummary,
    ratioP50: ratio,
    ratioP99: healthSummary.p99 / directSummary.p99,
    roundRatiosP50: roundRatios,
  };
}

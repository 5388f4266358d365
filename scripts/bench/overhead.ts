/**
 * Canary overhead: `/health` with coalescing off (so each answer is a real signed origin read), as
 * a checker with a kept-alive connection sees it, against a signed GET of the same object made by
 * the same process the way the canary makes it (signObjectRequest + the Node host's
 * fetchBackend). Requests alternate one by one, so both sides see the same machine state.
 */
import http from 'node:http';
import { signObjectRequest } from '../../src/core/sign';
import { USER_AGENT } from '../../src/core/probe';
import { BACKEND_GCS } from '../../src/core/types';
import { checkerGet } from './http';
import { BENCH_BUCKET, BENCH_OBJECT, BENCH_ORIGIN_HOST } from './stack';
import type { BenchStack } from './stack';
import { summarize } from './stats';
import type { Summary } from './stats';

export interface OverheadResult {
  health: Summary;
  direct: Summary;
  ratioP50: number;
  ratioP99: number;
}

export async function measureOverhead(stack: BenchStack, options: { requests: number; warmup: number }): Promise<OverheadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const healthUrl = `${stack.canaryOff.url}/health`;
  // Signing is part of a signed GET: the clock starts before it, as it does for /health.
  const direct = async () => {
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
  const health = () => checkerGet(healthUrl, agent);

  const healthMs: number[] = [];
  const directMs: number[] = [];
  try {
    for (let i = 0; i < options.warmup + options.requests; i++) {
      const viaCanary = await health();
      const viaDirect = await direct();
      if (viaCanary.status !== 200) throw new Error(`/health answered ${viaCanary.status}: ${viaCanary.body.slice(0, 200)}`);
      if (viaDirect.status !== 200) throw new Error(`the direct signed GET answered ${viaDirect.status}`);
      if (i < options.warmup) continue;
      healthMs.push(viaCanary.ms);
      directMs.push(viaDirect.ms);
    }
  } finally {
    agent.destroy();
  }
  const healthSummary = summarize(healthMs);
  const directSummary = summarize(directMs);
  return {
    health: healthSummary,
    direct: directSummary,
    ratioP50: healthSummary.p50 / directSummary.p50,
    ratioP99: healthSummary.p99 / directSummary.p99,
  };
}

/**
 * Flood: N concurrent /health at the coalescing canary, started on a cold result (nothing cached),
 * counted at the origin. At most one origin GET per result_ttl_ms window the flood spans.
 */
import { controlRequest, countObjectReads } from './http';
import { BENCH_BUCKET, BENCH_OBJECT } from './stack';
import type { BenchStack } from './stack';

export interface FloodResult {
  requests: number;
  originGets: number;
  /** result_ttl_ms windows the flood lasted into (1 when it finished inside one). */
  windows: number;
  durationMs: number;
  sharedAnswers: number;
  statuses: Record<string, number>;
}

export async function measureFlood(stack: BenchStack, requests: number): Promise<FloodResult> {
  // Let any earlier result expire, so the flood opens exactly one fresh window.
  await new Promise((resolve) => setTimeout(resolve, stack.resultTtlMs + 100));
  await controlRequest(stack.emulatorUrl, 'DELETE', '/log');
  const started = performance.now();
  const answers = await Promise.all(
    Array.from({ length: requests }, async () => {
      const response = await fetch(`${stack.canaryOn.url}/health`);
      const report = (await response.json()) as { shared?: boolean };
      return { status: response.status, shared: report.shared === true };
    }),
  );
  const durationMs = performance.now() - started;
  const statuses: Record<string, number> = {};
  for (const { status } of answers) statuses[status] = (statuses[status] ?? 0) + 1;
  return {
    requests,
    originGets: await countObjectReads(stack.emulatorUrl, BENCH_BUCKET, BENCH_OBJECT),
    windows: Math.max(1, Math.ceil(durationMs / stack.resultTtlMs)),
    durationMs,
    sharedAnswers: answers.filter((answer) => answer.shared).length,
    statuses,
  };
}

/** Latency figures: nearest-rank percentiles over a sample of milliseconds, and their ratios over rounds. */

export interface Summary {
  count: number;
  p50: number;
  p99: number;
  mean: number;
}

export function percentile(sortedMs: readonly number[], p: number): number {
  if (sortedMs.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sortedMs.length);
  return sortedMs[Math.min(sortedMs.length, Math.max(1, rank)) - 1]!;
}

export function summarize(samplesMs: readonly number[]): Summary {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const mean = sorted.reduce((sum, x) => sum + x, 0) / Math.max(1, sorted.length);
  return { count: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99), mean };
}

/** The middle value; for an even count, the mean of the two middle values (so it is symmetric). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** One round of paired samples: the same number of requests on each side, taken alternately. */
export interface PairedRound {
  numeratorMs: readonly number[];
  denominatorMs: readonly number[];
}

/**
 * The ratio of medians in each round, then the median of those ratios. A burst of load from a
 * neighbour on a shared machine moves one or two rounds; the median over rounds ignores them, where
 * one pooled p50 would move with them.
 */
export function medianOfRoundRatios(rounds: readonly PairedRound[]): { ratio: number; roundRatios: number[] } {
  const roundRatios = rounds.map((round) => median(round.numeratorMs) / median(round.denominatorMs));
  return { ratio: median(roundRatios), roundRatios };
}

export function round(value: number, digits = 2): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

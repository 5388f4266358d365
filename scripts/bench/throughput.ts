/**
 * Throughput of /health on the coalescing canary under a load generator: wrk (Debian package) when
 * installed, else an in-process generator (and the result says which). Origin GETs during the run
 * are counted too: coalescing must hold under load.
 */
import { execFile } from 'node:child_process';
import http from 'node:http';
import { promisify } from 'node:util';
import { checkerGet, controlRequest, countObjectReads } from './http';
import { BENCH_BUCKET, BENCH_OBJECT } from './stack';
import type { LoadGenerator } from './args';
import type { BenchStack } from './stack';
import { summarize } from './stats';

const run = promisify(execFile);

export interface ThroughputResult {
  generator: 'wrk' | 'in-process';
  /** Why the in-process generator was used, when it was. */
  note: string | null;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  non2xx: number;
  originGets: number;
  windows: number;
}

interface Load {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  non2xx: number;
}

function toMs(value: string, unit: string): number {
  const n = Number(value);
  return unit === 'us' ? n / 1000 : unit === 's' ? n * 1000 : unit === 'm' ? n * 60_000 : n;
}

export function parseWrkOutput(output: string): Load {
  const latency = (p: string) => {
    const match = new RegExp(`^\\s*${p}%\\s+([\\d.]+)(us|ms|s|m)\\s*$`, 'm').exec(output);
    if (!match) throw new Error(`wrk output has no ${p}% latency line`);
    return toMs(match[1]!, match[2]!);
  };
  const rps = /^Requests\/sec:\s+([\d.]+)/m.exec(output);
  const total = /^\s*(\d+) requests in /m.exec(output);
  if (!rps || !total) throw new Error('wrk output has no Requests/sec line');
  const non2xx = /Non-2xx or 3xx responses:\s+(\d+)/.exec(output);
  return { requestsPerSecond: Number(rps[1]), p50Ms: latency('50'), p99Ms: latency('99'), requests: Number(total[1]), non2xx: non2xx ? Number(non2xx[1]) : 0 };
}

async function hasWrk(): Promise<boolean> {
  try {
    await run('wrk', ['--version']);
    return true;
  } catch (error) {
    // wrk --version prints its banner and exits 1; only a missing binary is ENOENT.
    return (error as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}

async function loadWithWrk(url: string, seconds: number, connections: number): Promise<Load> {
  const threads = String(Math.min(2, connections));
  const { stdout } = await run('wrk', ['-t', threads, '-c', String(connections), '-d', `${seconds}s`, '--latency', url], { timeout: (seconds + 30) * 1000 });
  return parseWrkOutput(stdout);
}

async function loadInProcess(url: string, seconds: number, connections: number): Promise<Load> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const samples: number[] = [];
  let non2xx = 0;
  const until = performance.now() + seconds * 1000;
  const started = performance.now();
  try {
    await Promise.all(Array.from({ length: connections }, async () => {
      while (performance.now() < until) {
        const { ms, status } = await checkerGet(url, agent);
        samples.push(ms);
        if (status < 200 || status >= 400) non2xx++;
      }
    }));
  } finally {
    agent.destroy();
  }
  const summary = summarize(samples);
  return { requestsPerSecond: samples.length / ((performance.now() - started) / 1000), p50Ms: summary.p50, p99Ms: summary.p99, requests: samples.length, non2xx };
}

export async function measureThroughput(
  stack: BenchStack,
  options: { seconds: number; connections: number; generator: LoadGenerator },
): Promise<ThroughputResult> {
  const wrkFound = options.generator !== 'in-process' && (await hasWrk());
  if (options.generator === 'wrk' && !wrkFound) throw new Error('--generator wrk: wrk is not installed (apt-get install wrk)');
  const generator = wrkFound ? 'wrk' : 'in-process';
  await controlRequest(stack.emulatorUrl, 'DELETE', '/log');
  const url = `${stack.canaryOn.url}/health`;
  const load = generator === 'wrk' ? await loadWithWrk(url, options.seconds, options.connections) : await loadInProcess(url, options.seconds, options.connections);
  return {
    generator,
    note: generator === 'wrk' ? null : options.generator === 'in-process' ? 'asked for with --generator in-process' : 'wrk not found; install it with apt-get install wrk',
    ...load,
    originGets: await countObjectReads(stack.emulatorUrl, BENCH_BUCKET, BENCH_OBJECT),
    // A window already open when the load started counts as one more.
    windows: Math.ceil((options.seconds * 1000) / stack.resultTtlMs) + 1,
  };
}

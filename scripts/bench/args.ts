/** Flags of `npm run bench`. */
import { UsageError, parseFlags } from '../../src/node/cli-kit';

export const USAGE = `usage: npm run bench -- [--rounds N] [--requests N] [--warmup N] [--flood N] [--duration S] [--connections N] [--generator G] [--ttl MS] [--guest-requests N] [--skip-build] [--json]
  --rounds N       overhead rounds; the ratio is the median of the rounds' ratios (default 9)
  --requests N     requests per side in each overhead round, alternating (default 150)
  --warmup N       requests per side before the first round (default 30)
  --flood N        concurrent /health requests in the flood (default 1000)
  --duration S     seconds of load for the throughput figure (default 10)
  --connections N  load generator connections (default 8)
  --generator G    load generator: auto (wrk when installed, default), wrk, in-process
  --ttl MS         result_ttl_ms of the coalescing canary, whole seconds (default 5000)
  --guest-requests N  sequential requests per path for the guest figures on the local Compute host
                   (default 100; 0 = no guest figures)
  --skip-build     do not build bin/main.wasm (no size or build time figure)
  --json           print only the final JSON line on stdout
exit: 0 every target met, 2 a target missed, 1 usage error`;

export { UsageError } from '../../src/node/cli-kit';

export type LoadGenerator = 'auto' | 'wrk' | 'in-process';
const GENERATORS: readonly LoadGenerator[] = ['auto', 'wrk', 'in-process'];

export interface BenchOptions {
  rounds: number;
  requests: number;
  warmup: number;
  flood: number;
  durationSeconds: number;
  connections: number;
  generator: LoadGenerator;
  resultTtlMs: number;
  guestRequests: number;
  build: boolean;
  json: boolean;
  help: boolean;
}

function integer(name: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, got "${text}"`);
  return value;
}

/** result_ttl_ms is 0 or whole seconds: SimpleCache's ttl on Compute is whole seconds. */
function wholeSeconds(name: string, ms: number): number {
  if (ms % 1000 !== 0) throw new UsageError(`--${name} must be whole seconds in milliseconds (a multiple of 1000), got ${ms}`);
  return ms;
}

export function parseBenchArgs(argv: string[]): BenchOptions {
  const values = parseFlags(argv, {
    rounds: { type: 'string', default: '9' },
    requests: { type: 'string', default: '150' },
    warmup: { type: 'string', default: '30' },
    flood: { type: 'string', default: '1000' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '8' },
    generator: { type: 'string', default: 'auto' },
    ttl: { type: 'string', default: '5000' },
    'guest-requests': { type: 'string', default: '100' },
    'skip-build': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  });
  const generator = GENERATORS.find((g) => g === values.generator);
  if (generator === undefined) throw new UsageError(`--generator must be one of ${GENERATORS.join(', ')}, got "${values.generator}"`);
  return {
    generator,
    rounds: integer('rounds', values.rounds, 1, 99),
    requests: integer('requests', values.requests, 10, 100_000),
    warmup: integer('warmup', values.warmup, 0, 10_000),
    flood: integer('flood', values.flood, 1, 10_000),
    durationSeconds: integer('duration', values.duration, 1, 600),
    connections: integer('connections', values.connections, 1, 1000),
    resultTtlMs: wholeSeconds('ttl', integer('ttl', values.ttl, 1000, 600_000)),
    guestRequests: integer('guest-requests', values['guest-requests'], 0, 10_000),
    build: !values['skip-build'],
    json: values.json,
    help: values.help,
  };
}

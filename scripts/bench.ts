/**
 * `npm run bench`: DESIGN.md §8 measured side by side on one local stack (GCS emulator, uploader,
 * Node host canaries, and the guest figures of bin/main.wasm on the local Compute host), printed as
 * a table and one final JSON line. Exit 0 when every target is met, 2 when one is missed (named
 * on stderr), 1 for a usage error.
 */
import { cliPrefix, reportCrash } from '../src/node/cli-kit';
import { parseBenchArgs, UsageError, USAGE } from './bench/args';
import { measureDetection } from './bench/detection';
import { measureFlood } from './bench/flood';
import { measureGuest } from './bench/guest';
import { measureOverhead } from './bench/overhead';
import { jsonLine, missedTargets, renderTable, rows } from './bench/report';
import { startBenchStack } from './bench/stack';
import { measureThroughput } from './bench/throughput';
import { measureWasmBuild } from './bench/wasm';

const PREFIX = cliPrefix('bench');
const say = (line: string) => process.stderr.write(`${PREFIX} ${line}\n`);

async function main(argv: string[]): Promise<number> {
  const options = parseBenchArgs(argv);
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const stack = await startBenchStack({ resultTtlMs: options.resultTtlMs, log: say });
  let figures;
  try {
    say(`flood: ${options.flood} concurrent /health on a cold result`);
    const flood = await measureFlood(stack, options.flood);
    say(`overhead: ${options.warmup} warm-up, then ${options.rounds} rounds of ${options.requests} requests per side, alternating`);
    const overhead = await measureOverhead(stack, options);
    say(`throughput: ${options.durationSeconds} s with ${options.connections} connections`);
    const throughput = await measureThroughput(stack, { seconds: options.durationSeconds, connections: options.connections, generator: options.generator });
    if (throughput.note) say(`throughput: in-process load generator (${throughput.note})`);
    say(`detection: rotating the HMAC key right after a fresh result (result_ttl_ms ${options.resultTtlMs})`);
    const detection = await measureDetection(stack);
    const guest = options.guestRequests === 0 ? null : await measureGuest({
      emulatorUrl: stack.emulatorUrl, credentials: stack.credentials, requests: options.guestRequests, warmup: Math.min(options.warmup, 10), log: say,
    });
    figures = { overhead, flood, detection, throughput, wasm: null, guest, resultTtlMs: options.resultTtlMs, connections: options.connections, seconds: options.durationSeconds };
  } finally {
    await stack.stop();
  }
  if (options.build) {
    say('building bin/main.wasm with js-compute-runtime (into a temp dir)');
    figures = { ...figures, wasm: await measureWasmBuild() };
  }
  const table = rows(figures);
  const missed = missedTargets(table);
  if (!options.json) process.stdout.write(`${renderTable(table)}\n`);
  process.stdout.write(`${jsonLine(figures, missed)}\n`);
  for (const figure of missed) say(`target missed: ${figure}`);
  return missed.length === 0 ? 0 : 2;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError) {
    process.stderr.write(`${PREFIX} ${error.message}\n${USAGE}\n`);
    process.exitCode = 1;
  } else {
    process.exitCode = reportCrash(PREFIX, error);
  }
}

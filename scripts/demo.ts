/**
 * `npm run demo`: replays the June 2022 PyPI incident locally in under a minute. The HMAC secret
 * is rotated on the emulator at T+10 s and restored at T+30 s; a classic monitor of a cached
 * package file stays green, the canary goes red within seconds. Exit 0 when the canary detected
 * the outage and recovered, 1 for a usage error, 2 otherwise (including Ctrl-C). With --gate, the
 * same mistake replayed as a pre-activation gate instead (scripts/demo/gate-story.ts): exit 0 when
 * the bad drafts were blocked and the good one activated once.
 */
import { UsageError, cliPrefix, parseFlags, reportCrash } from '../src/node/cli-kit';
import { runGateStory } from './demo/gate-story';
import { parseRuntimeFlag, RUNTIME_FLAG_HELP } from './stack/runtime-flag';
import { describeRuntime } from './stack/runtime';
import type { Runtime } from './stack/runtime';
import { createNarrator } from './demo/narrate';
import { canaryCaughtIt, runIncident, type IncidentPlan } from './demo/scenario';
import { DEMO_BUCKET, DEMO_KEY, startIncidentStack } from './demo/stack';

const PREFIX = cliPrefix('demo');
const USAGE = `usage: npm run demo -- [--rotate-after S] [--restore-after S] [--poll S] [--runtime wasm|node] [--no-color] | --gate [--no-color]
${RUNTIME_FLAG_HELP}`;
const UPLOAD_INTERVAL_MS = 2000;
const RESULT_TTL_MS = 1000;

interface DemoFlags {
  plan: IncidentPlan;
  runtime: Runtime;
  colors: boolean;
  gate: boolean;
  help: boolean;
}

function parseDemoFlags(argv: string[]): DemoFlags {
  const values = parseFlags(argv, {
    'rotate-after': { type: 'string', default: '10' },
    'restore-after': { type: 'string', default: '30' },
    poll: { type: 'string', default: '1' },
    runtime: { type: 'string', default: 'wasm' },
    'no-color': { type: 'boolean', default: false },
    gate: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  });
  const rotateAtMs = secondsFlag('--rotate-after', values['rotate-after']);
  const restoreAtMs = secondsFlag('--restore-after', values['restore-after']);
  const pollMs = secondsFlag('--poll', values.poll);
  if (restoreAtMs <= rotateAtMs) throw new UsageError('--restore-after must be later than --rotate-after');
  if (pollMs < 100) throw new UsageError('--poll must be at least 0.1 s');
  return {
    plan: { rotateAtMs, restoreAtMs, endAtMs: restoreAtMs + 15_000, pollMs, pollOffsetMs: pollMs / 2, settleMs: 3000, heartbeatMs: 5000 },
    runtime: parseRuntimeFlag(values.runtime),
    colors: !values['no-color'] && process.stdout.isTTY === true && !process.env.NO_COLOR,
    gate: values.gate,
    help: values.help,
  };
}

function secondsFlag(name: string, value: string): number {
  const seconds = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || seconds > 600) throw new UsageError(`${name} must be a number of seconds up to 600, got "${value}"`);
  return seconds * 1000;
}

async function main(argv: string[]): Promise<number> {
  let flags: DemoFlags;
  try {
    flags = parseDemoFlags(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${PREFIX} ${error.message}\n${USAGE}\n`);
    return 1;
  }
  if (flags.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (flags.gate) return (await runGateStory((text) => process.stdout.write(text), flags.colors)) ? 0 : 2;

  const stop = new AbortController();
  const onSignal = () => {
    process.stderr.write(`\n${PREFIX} stopping (Ctrl-C again to force)\n`);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    stop.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const narrator = createNarrator(flags.colors);
  process.stderr.write(`${PREFIX} starting the emulator, uploader, production CDN and canary (${describeRuntime(flags.runtime)})...\n`);
  const stack = await startIncidentStack({
    runtime: flags.runtime,
    uploadIntervalMs: UPLOAD_INTERVAL_MS,
    resultTtlMs: RESULT_TTL_MS,
    deadlineMs: 2000,
    onUploadError: (error) => process.stderr.write(`${PREFIX} uploader: ${error.message}\n`),
  });
  try {
    if (stop.signal.aborted) return 2;
    process.stdout.write(narrator.intro({
      emulatorUrl: stack.emulator.url,
      cdnUrl: stack.cdn.url,
      packageUrl: stack.packageUrl,
      healthUrl: stack.healthUrl,
      bucket: DEMO_BUCKET,
      accessId: `${DEMO_KEY.accessId.slice(0, 4)}…${DEMO_KEY.accessId.slice(-4)}`,
      uploadIntervalMs: UPLOAD_INTERVAL_MS,
      resultTtlMs: RESULT_TTL_MS,
      servedBy: describeRuntime(flags.runtime),
    }, flags.plan));
    const result = await runIncident(stack, flags.plan, (event) => process.stdout.write(`${narrator.event(event)}\n`), stop.signal);
    process.stdout.write(narrator.summary(result));
    return canaryCaughtIt(result) ? 0 : 2;
  } finally {
    await stack.close();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  process.exitCode = reportCrash(PREFIX, error);
}

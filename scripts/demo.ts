/**
 * `npm run demo`: replays the June 2022 PyPI incident locally in under a minute. The HMAC secret
 * is rotated on the emulator at T+10 s and restored at T+30 s; a classic monitor of a cached
 * package file stays green, the canary goes red within seconds. Exit 0 when the canary detected
 * the outage and recovered, 1 for a usage error, 2 otherwise (including Ctrl-C). With --gate, the
 * same mistake replayed as a pre-activation gate instead (scripts/demo/gate-story.ts): exit 0 when
 * the bad drafts were blocked and the good one activated once. With --scene 2026, PyPI's topology
 * today (scripts/demo/archive-scene.ts): the primary's secret goes wrong, the CDN restarts onto the
 * archive, an uncached status-200 check stays green, and the canary goes red.
 */
import { quietAwsSdkNodeVersionWarning } from './uploader/aws-sdk-node-warning';
import { UsageError, cliPrefix, parseFlags, reportCrash } from '../src/node/cli-kit';
import { runGateStory } from './demo/gate-story';
import { parseRuntimeFlag, RUNTIME_FLAG_HELP } from './stack/runtime-flag';
import { describeRuntime } from './stack/runtime';
import type { Runtime } from './stack/runtime';
import { ARCHIVE_2026 } from './demo/archive-scene';
import { ARCHIVE, ARCHIVE_KEY, PRIMARY, PRIMARY_KEY, startArchiveStack } from './demo/archive-stack';
import { createNarrator, INCIDENT_2022 } from './demo/narrate';
import { canaryCaughtIt, runIncident, type IncidentPlan, type IncidentResult, type IncidentTargets, type TimelineEvent } from './demo/scenario';
import { DEMO_BUCKET, DEMO_KEY, startIncidentStack } from './demo/stack';

const PREFIX = cliPrefix('demo');
const USAGE = `usage: npm run demo -- [--scene 2022|2026] [--rotate-after S] [--restore-after S] [--poll S] [--runtime wasm|node] [--no-color] | --gate [--no-color]
  --scene 2022       the June 2022 incident: the bucket's secret wrong, a cached file's monitor stays green (default)
  --scene 2026       PyPI today: the primary's secret wrong, the CDN restarts onto the S3 archive, an
                     uncached status-200 check stays green
  --rotate-after S   seconds after the start when the secret is rotated (default 10)
  --restore-after S  seconds after the start when it is restored, later than --rotate-after (default 30)
  --poll S           seconds between the monitors' checks, at least 0.1 (default 1)
${RUNTIME_FLAG_HELP}
  --no-color         plain text even on a terminal (NO_COLOR does the same)
  --gate             instead of an incident, the same mistake stopped by the pre-activation gate
                     (npm run gate): bad drafts blocked, the good one activated; takes only --no-color
  -h, --help         this text`;
const SCENES = ['2022', '2026'] as const;
type SceneName = (typeof SCENES)[number];
const INCIDENT_FLAGS = ['scene', 'rotate-after', 'restore-after', 'poll', 'runtime'] as const;
const UPLOAD_INTERVAL_MS = 2000;
const RESULT_TTL_MS = 1000;

interface DemoFlags {
  plan: IncidentPlan;
  scene: SceneName;
  runtime: Runtime;
  colors: boolean;
  gate: boolean;
  help: boolean;
}

function parseDemoFlags(argv: string[]): DemoFlags {
  const values = parseFlags(argv, {
    'rotate-after': { type: 'string' },
    'restore-after': { type: 'string' },
    poll: { type: 'string' },
    scene: { type: 'string' },
    runtime: { type: 'string' },
    'no-color': { type: 'boolean', default: false },
    gate: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  });
  // The gate story has no timeline, scene or runtime of its own: such a flag would be ignored.
  const incidentOnly = INCIDENT_FLAGS.filter((flag) => values[flag] !== undefined);
  if (values.gate && incidentOnly.length > 0) {
    throw new UsageError(`--gate replays the gate story, which takes only --no-color: ${incidentOnly.map((flag) => `--${flag}`).join(', ')} would be ignored`);
  }
  const rotateAtMs = secondsFlag('--rotate-after', values['rotate-after'] ?? '10');
  const restoreAtMs = secondsFlag('--restore-after', values['restore-after'] ?? '30');
  const pollMs = secondsFlag('--poll', values.poll ?? '1');
  if (restoreAtMs <= rotateAtMs) throw new UsageError('--restore-after must be later than --rotate-after');
  if (pollMs < 100) throw new UsageError('--poll must be at least 0.1 s');
  const scene = values.scene ?? '2022';
  if (!(SCENES as readonly string[]).includes(scene)) throw new UsageError(`--scene must be one of ${SCENES.join(', ')}, got "${scene}"`);
  return {
    plan: { rotateAtMs, restoreAtMs, endAtMs: restoreAtMs + 15_000, pollMs, pollOffsetMs: pollMs / 2, settleMs: 3000, heartbeatMs: 5000 },
    scene: scene as SceneName,
    runtime: parseRuntimeFlag(values.runtime ?? 'wasm'),
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

  const common = { runtime: flags.runtime, uploadIntervalMs: UPLOAD_INTERVAL_MS, resultTtlMs: RESULT_TTL_MS, deadlineMs: 2000,
    onUploadError: (error: Error) => process.stderr.write(`${PREFIX} uploader: ${error.message}\n`) };
  const mask = (id: string) => `${id.slice(0, 4)}…${id.slice(-4)}`;
  const servedBy = describeRuntime(flags.runtime);
  process.stderr.write(`${PREFIX} starting the emulator, uploader, production CDN and canary (${servedBy})...\n`);
  let stage: { stack: IncidentTargets & { close(): Promise<void> }; intro: string; event(event: TimelineEvent): string; summary(result: IncidentResult): string };
  if (flags.scene === '2026') {
    const stack = await startArchiveStack(common);
    const narrator = createNarrator(flags.colors, ARCHIVE_2026);
    stage = { stack, event: narrator.event, summary: narrator.summary, intro: narrator.intro({
      emulatorUrl: stack.emulator.url, cdnUrl: stack.cdn.url, sentinelUrl: stack.packageUrl, healthUrl: stack.healthUrl,
      primary: PRIMARY, archive: ARCHIVE, primaryAccessId: mask(PRIMARY_KEY.accessId), archiveAccessId: mask(ARCHIVE_KEY.accessId),
      uploadIntervalMs: UPLOAD_INTERVAL_MS, resultTtlMs: RESULT_TTL_MS, servedBy,
    }, flags.plan) };
  } else {
    const stack = await startIncidentStack(common);
    const narrator = createNarrator(flags.colors, INCIDENT_2022);
    stage = { stack, event: narrator.event, summary: narrator.summary, intro: narrator.intro({
      emulatorUrl: stack.emulator.url, cdnUrl: stack.cdn.url, packageUrl: stack.packageUrl, healthUrl: stack.healthUrl,
      bucket: DEMO_BUCKET, accessId: mask(DEMO_KEY.accessId), uploadIntervalMs: UPLOAD_INTERVAL_MS, resultTtlMs: RESULT_TTL_MS, servedBy,
    }, flags.plan) };
  }
  try {
    if (stop.signal.aborted) return 2;
    process.stdout.write(stage.intro);
    const result = await runIncident(stage.stack, flags.plan, (event) => process.stdout.write(`${stage.event(event)}\n`), stop.signal);
    process.stdout.write(stage.summary(result));
    return canaryCaughtIt(result) ? 0 : 2;
  } finally {
    await stage.stack.close();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

// The AWS SDK's note that its 2027 releases need Node 22 concerns the production uploader
// (docs/uploader.md says so); here it would bury the banner. An operator's own setting is kept.
quietAwsSdkNodeVersionWarning();
try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  process.exitCode = reportCrash(PREFIX, error);
}

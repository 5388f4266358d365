/**
 * `npm start`: the local stack (storage emulator with a GCS primary and an S3 archive fallback,
 * uploader every 30 s, canary) in one process until
 * Ctrl-C. The canary is bin/main.wasm on the local Compute host unless `--runtime node`. Exit 0
 * after Ctrl-C/SIGTERM, 1 for a usage, manifest or port error, 2 when the stack could not start
 * (e.g. the first canary write failed).
 */
import { quietAwsSdkNodeVersionWarning } from './uploader/aws-sdk-node-warning';
import { UsageError, cliPrefix, parseFlags, parsePort, untilStopSignal } from '../src/node/cli-kit';
import { loadManifest, ManifestError } from '../src/node/manifest';
import { CONFIG_STORE } from '../src/core/types';
import { CanaryWriteError, parseInterval } from './uploader';
import { renderBanner } from './stack/banner';
import { parseRuntimeFlag, RUNTIME_FLAG_HELP } from './stack/runtime-flag';
import type { Runtime } from './stack/runtime';
import { WasmBuildError } from './stack/wasm-artifact';
import { WasmModuleError } from './compute-host/module';
import { PortBusyError, PortsBusyError, StackConfigError } from './stack/errors';
import { firstHealth } from './stack/first-health';
import { DEFAULT_CANARY_PORT, DEFAULT_EMULATOR_PORT, DEFAULT_MANIFEST, startStack } from './stack/stack';
import type { UploadEvent } from './stack/uploader';
import { describeUpload, whatToCheck } from './stack/upload-lines';
import { DEFAULT_FLEET_SHIELDS, parseShieldList } from './stack/fleet';
import { runFleet } from './stack/fleet-start';

const PREFIX = cliPrefix('start');
const USAGE = `usage: npm start -- [--runtime wasm|node] [--wasm FILE] [--port N] [--emulator-port N] [--host ADDRESS] [--manifest FILE] [--interval S] [--one-bucket] [--fleet [--shields CODES]]
${RUNTIME_FLAG_HELP}
  --wasm FILE        the compiled module to serve with --runtime wasm (default bin/main.wasm)
  --port N           canary port (default ${DEFAULT_CANARY_PORT}; 0 = any free port)
  --emulator-port N  storage emulator port (GCS and S3 APIs) (default ${DEFAULT_EMULATOR_PORT}; 0 = any free port)
  --host ADDRESS     listen address of both (default 127.0.0.1)
  --manifest FILE    fastly.toml whose [local_server] configures the canary (default: the repository's)
  --interval S       seconds between canary writes (default 30)
  --one-bucket       the manifest's bucket alone, without the S3 archive fallback beside it
  --fleet            also one canary per shield POP, each with its own POP code, all reading the one
                     bucket; the canary on --port is the edge, and /health?scope=fleet asks every
                     shield (see docs/fleet.md)
  --shields CODES    the shields of --fleet, comma-separated (default ${DEFAULT_FLEET_SHIELDS.join(',')})`;

interface StartFlags {
  runtime: Runtime;
  wasm: string | undefined;
  port: number;
  emulatorPort: number;
  host: string;
  manifest: string;
  intervalMs: number;
  oneBucket: boolean;
  /** The shields of `--fleet`; null without it. */
  fleet: string[] | null;
  help: boolean;
}

function parseStartFlags(argv: string[]): StartFlags {
  const values = parseFlags(argv, {
    runtime: { type: 'string', default: 'wasm' },
    wasm: { type: 'string' },
    port: { type: 'string', default: String(DEFAULT_CANARY_PORT) },
    'emulator-port': { type: 'string', default: String(DEFAULT_EMULATOR_PORT) },
    host: { type: 'string', default: '127.0.0.1' },
    manifest: { type: 'string', default: DEFAULT_MANIFEST },
    interval: { type: 'string', default: '30' },
    'one-bucket': { type: 'boolean', default: false },
    fleet: { type: 'boolean', default: false },
    shields: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  });
  const interval = parseInterval(values.interval);
  const runtime = parseRuntimeFlag(values.runtime);
  if (values.shields !== undefined && !values.fleet) throw new UsageError('--shields needs --fleet');
  // --fleet already reads the manifest's one bucket (no archive fallback): saying so again is a mistake about what --fleet does.
  if (values['one-bucket'] && values.fleet) throw new UsageError('--one-bucket and --fleet do not go together: the fleet already reads the one bucket (no S3 archive), drop --one-bucket');
  if (values.wasm !== undefined && runtime !== 'wasm') throw new UsageError('--wasm needs --runtime wasm: the Node host runs src/app.ts, not a module');
  return {
    runtime,
    wasm: values.wasm,
    port: parsePort(values.port, '--port'),
    emulatorPort: parsePort(values['emulator-port'], '--emulator-port'),
    host: values.host,
    manifest: values.manifest,
    intervalMs: Math.round(interval * 1000),
    oneBucket: values['one-bucket'],
    fleet: values.fleet ? parseShieldFlag(values.shields ?? DEFAULT_FLEET_SHIELDS.join(',')) : null,
    help: values.help,
  };
}

function parseShieldFlag(text: string): string[] {
  try {
    return parseShieldList(text);
  } catch (error) {
    throw new UsageError(`--shields: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function listsOrigins(manifestFile: string): boolean {
  return loadManifest(manifestFile).configStores.get(CONFIG_STORE)?.has('origins') === true;
}

async function main(argv: string[]): Promise<number> {
  let flags: StartFlags;
  try {
    flags = parseStartFlags(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${PREFIX} ${error.message}\n${USAGE}\n`);
    return 1;
  }
  if (flags.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (flags.oneBucket && listsOrigins(flags.manifest)) {
    process.stderr.write(`${PREFIX} --one-bucket keeps the manifest's one bucket without the archive beside it, but ${flags.manifest} lists origins, served as listed: drop --one-bucket\n${USAGE}\n`);
    return 1;
  }
  // Until the first tick is done, a failed write stops the stack: there is no next try to announce.
  const uploadLines = { prefix: PREFIX, intervalMs: flags.intervalMs, started: false };
  const stackOptions = {
    runtime: flags.runtime,
    ...(flags.wasm === undefined ? {} : { wasm: flags.wasm }),
    manifestFile: flags.manifest,
    archiveFallback: !flags.oneBucket,
    host: flags.host,
    canaryPort: flags.port,
    emulatorPort: flags.emulatorPort,
    uploaderIntervalMs: flags.intervalMs,
    onUpload: (event: UploadEvent) => process.stderr.write(`${describeUpload(event, uploadLines)}\n`),
  };
  // The fleet's shields each read the manifest's one bucket, so its edge does too.
  if (flags.fleet !== null) return runFleet({ ...stackOptions, archiveFallback: false, uploaderIntervalMs: flags.intervalMs, shields: flags.fleet }, PREFIX, () => (uploadLines.started = true));
  const stack = await startStack(stackOptions);
  uploadLines.started = true;
  // A second Ctrl-C while shutting down means "now".
  const stopped = untilStopSignal({ forceExitCode: 130 });
  const first = await firstHealth(stack.canary.url);
  // performance.now() counts from process start: the wait a user sees, tsx start-up included.
  const elapsedMs = Math.round(performance.now());
  process.stdout.write(
    renderBanner({
      canaryUrl: stack.canary.url,
      runtime: stack.runtime,
      emulatorUrl: stack.emulator.url,
      bucket: stack.bucket,
      object: stack.object,
      accessId: stack.accessId,
      uploaderIntervalMs: flags.intervalMs,
      sequence: stack.uploader.first.sequence,
      firstCheck: { ...first, elapsedMs },
      resultTtlMs: stack.config.resultTtlMs,
      ...(stack.listsOrigins ? { origins: stack.origins } : {}),
    }),
  );
  if (first.status !== 'pass') process.stderr.write(`${PREFIX} the first check did not pass: ${first.output}\n`);
  const signal = await stopped;
  process.stderr.write(`${PREFIX} ${signal}: stopping the canary, the uploader and the emulator\n`);
  await stack.close();
  process.stderr.write(`${PREFIX} stopped\n`);
  return 0;
}

// The AWS SDK's note that its 2027 releases need Node 22 concerns the production uploader
// (docs/uploader.md says so); here it would bury the banner. An operator's own setting is kept.
quietAwsSdkNodeVersionWarning();
try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof PortBusyError || error instanceof PortsBusyError) {
    const busy = error instanceof PortsBusyError ? error.busy : [error];
    const flags = busy.map((port) => `${port.role === 'canary' ? '--port' : '--emulator-port'} N`).join(' and ');
    process.stderr.write(`${PREFIX} ${error.message}; stop what uses ${busy.length > 1 ? 'them or choose others' : 'it or choose another'} with ${flags}\n`);
    process.exitCode = 1;
  } else if (error instanceof StackConfigError || error instanceof ManifestError || error instanceof UsageError ||
    error instanceof WasmBuildError || error instanceof WasmModuleError) {
    // A UsageError here is the uploader refusing the manifest's bucket or object: the flags were fine.
    process.stderr.write(`${PREFIX} ${error.message}\n`);
    process.exitCode = 1;
  } else if (error instanceof CanaryWriteError) {
    process.stderr.write(`${PREFIX} the first canary write failed, so nothing is left running: ${error.message}; ${whatToCheck(error)}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`${PREFIX} ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 2;
  }
}

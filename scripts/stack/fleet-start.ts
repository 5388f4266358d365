/**
 * `npm start -- --fleet`: the local fleet (scripts/stack/fleet.ts) until Ctrl-C, with its banner.
 * Errors are start.ts's to report: they are the stack's (ports, manifest, module, first write).
 */
import { untilStopSignal } from '../../src/node/cli-kit';
import { startFleet } from './fleet';
import type { FleetOptions } from './fleet';
import { renderFleetBanner } from './fleet-banner';
import { firstHealth } from './first-health';

/** `onStarted` runs once the fleet is up (its first write landed). */
export async function runFleet(options: FleetOptions & { uploaderIntervalMs: number }, prefix: string, onStarted?: () => void): Promise<number> {
  const fleet = await startFleet(options);
  onStarted?.();
  // A second Ctrl-C while shutting down means "now".
  const stopped = untilStopSignal({ forceExitCode: 130 });
  const first = await firstHealth(fleet.edge.url, '/health?scope=fleet');
  const { stack } = fleet;
  process.stdout.write(
    renderFleetBanner({
      edgeUrl: fleet.edge.url,
      runtime: stack.runtime,
      emulatorUrl: stack.emulator.url,
      bucket: stack.bucket,
      object: stack.object,
      accessId: stack.accessId,
      uploaderIntervalMs: options.uploaderIntervalMs,
      shields: fleet.shields.map((shield) => ({ code: shield.code, canaryUrl: shield.canary.url, pathUrl: shield.path.url })),
      // performance.now() counts from process start: the wait a user sees, tsx start-up included.
      firstCheck: { ...first, elapsedMs: Math.round(performance.now()) },
    }),
  );
  if (first.status !== 'pass') process.stderr.write(`${prefix} the first fleet check did not pass: ${first.output}\n`);
  const signal = await stopped;
  process.stderr.write(`${prefix} ${signal}: stopping the canaries, the uploader and the emulator\n`);
  await fleet.close();
  process.stderr.write(`${prefix} stopped\n`);
  return 0;
}

/** `npm run serve -- --runtime wasm|node`: which runtime serves, and one clear line when the module is unusable. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureWasm } from '../../scripts/stack/wasm-artifact';
import { lines } from '../support/spawn-script';
import { makeTempDir } from '../support/temp-dir';
import type { TempDir } from '../support/temp-dir';
import { runCli, startCli } from '../node/cli-process';
import type { RunningCli } from '../node/cli-process';

let dir: TempDir;
let running: RunningCli | undefined;

beforeAll(async () => {
  dir = makeTempDir('edge-canary-serve-wasm-');
  await ensureWasm();
}, 300_000);

afterEach(async () => {
  await running?.stop('SIGKILL');
  running = undefined;
});

afterAll(() => dir.remove());

describe('npm run serve --runtime', () => {
  it('serves bin/main.wasm by default and says so; SIGTERM stops it with exit 0', async () => {
    running = await startCli(['--port', '0']);
    const live = await fetch(`${running.url}/live`);
    expect(live.status).toBe(200);
    const run = await running.stop('SIGTERM');
    running = undefined;
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('runtime wasm: bin/main.wasm on the local Compute host');
  });

  it('--runtime node serves the app on the Node host and says so', async () => {
    running = await startCli(['--runtime', 'node', '--port', '0']);
    expect((await fetch(`${running.url}/live`)).status).toBe(200);
    const run = await running.stop('SIGTERM');
    running = undefined;
    expect(run.stderr).toContain('runtime node: src/app.ts on the Node host');
  });

  it.each([
    { name: 'a missing module', file: () => `${dir.path}/absent.wasm`, message: /^edge-canary serve: Compute module .*absent\.wasm does not exist \(build it with `npm run build`\)$/ },
    { name: 'a file that is not WebAssembly', file: () => dir.write('bad.wasm', 'not a module'), message: /^edge-canary serve: Compute module .*bad\.wasm is not a valid WebAssembly module/ },
  ])('$name is one line and exit 1', async ({ file, message }) => {
    const run = await runCli(['--wasm', file(), '--port', '0']);
    expect(run.code).toBe(1);
    expect(lines(run.stderr)).toHaveLength(1);
    expect(lines(run.stderr)[0]).toMatch(message);
  });

  it.each([
    { args: ['--runtime', 'deno'], message: 'edge-canary serve: --runtime must be wasm or node, got "deno"' },
    { args: ['--runtime', 'node', '--wasm', 'x.wasm'], message: 'edge-canary serve: --wasm only applies to --runtime wasm' },
  ])('$args is a usage error, exit 1', async ({ args, message }) => {
    const run = await runCli(args);
    expect(run.code).toBe(1);
    expect(lines(run.stderr)[0]).toBe(message);
  });

  it.each(['wasm', 'node'])('--pop CODE is the FASTLY_POP the canary reports, and the banner says so (--runtime %s)', async (runtime) => {
    running = await startCli(['--runtime', runtime, '--port', '0', '--pop', 'bfi-wa-us'], { FASTLY_POP: 'from-env' });
    const body = (await (await fetch(`${running.url}/health?format=json`)).json()) as { pop: string };
    expect(body.pop).toBe('bfi-wa-us');
    const run = await running.stop('SIGTERM');
    running = undefined;
    expect(run.stderr).toContain('(manifest fastly.toml, pop bfi-wa-us)');
  });

  it.each(['wasm', 'node'])("serves the manifest's shielding sites (--runtime %s): a shield listed as Local is this POP's own check", async (runtime) => {
    const manifest = (sites: string) =>
      dir.write(
        `fleet-${runtime}-${sites === '' ? 'bare' : 'sites'}.toml`,
        `[local_server.backends.gcs]\nurl = "http://127.0.0.1:1"\n` +
          `[local_server.config_stores.canary_config]\nformat = "inline-toml"\n` +
          `[local_server.config_stores.canary_config.contents]\nbucket = "fleet-bucket"\nobject = "canary.json"\nsigning = "none"\nattempts = "1"\nshields = "bfi-wa-us"\n` +
          `[[local_server.secret_stores.canary_secrets]]\nkey = "fleet_key"\ndata = "${'k'.repeat(40)}"\n${sites}`,
      );
    const fleetSite = async (file: string) => {
      running = await startCli(['--runtime', runtime, '--port', '0', '--pop', 'bfi-wa-us', '--manifest', file]);
      const body = (await (await fetch(`${running.url}/health?scope=fleet&format=json`)).json()) as { reason: string; checks: Record<string, { reason: string; answeredBy: string }[]> };
      await running.stop('SIGTERM');
      running = undefined;
      return body;
    };
    const withSites = await fleetSite(manifest('[local_server.shielding_sites]\n"bfi-wa-us" = "Local"\n'));
    expect(withSites.checks['shield:bfi-wa-us']?.[0]).toMatchObject({ answeredBy: 'local', reason: 'connect_failed' });
    // The control: without the section the shield is unknown, and the fleet check refuses to run.
    expect((await fleetSite(manifest(''))).reason).toBe('misconfigured');
  });

  it('a --pop that is not a POP code is a usage error, exit 1', async () => {
    const run = await runCli(['--pop', 'bfi wa']);
    expect(run.code).toBe(1);
    expect(lines(run.stderr)[0]).toBe('edge-canary serve: --pop must be a POP code of letters, digits and dashes (e.g. bfi-wa-us), got "bfi wa"');
  });

  it('--help lists both runtimes', async () => {
    const run = await runCli(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('--runtime wasm');
    expect(run.stdout).toContain('--runtime node');
    expect(run.stdout).toContain('--wasm FILE');
    expect(run.stdout).toContain('--pop CODE');
  });
});

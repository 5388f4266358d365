/**
 * `npm run serve -- [--runtime wasm|node] --manifest FILE --port N [--pop CODE]`: the canary alone, configured
 * by FILE's [local_server]: the compiled module (bin/main.wasm, the artifact that ships) on the
 * local Compute host, or the app's source on the Node host. Exit 0 after Ctrl-C / SIGTERM, 1 for
 * a usage, manifest, module or listen error.
 */

import { createApp } from '../app';
import { UsageError, cliPrefix, parseFlags, parsePort, reportCrash, untilStopSignal } from './cli-kit';
import { ManifestError, loadManifest } from './manifest';
import type { LocalManifest } from './manifest';
import { createNodePlatform } from './platform';
import { parsePopCode } from './pop-flag';
import { ListenError, serve } from './server';

const PREFIX = cliPrefix('serve');
const USAGE = `usage: npm run serve -- [--manifest FILE] [--port N] [--host ADDRESS] [--runtime wasm|node] [--wasm FILE] [--pop CODE]
  --runtime wasm   (default) bin/main.wasm on the local Compute host, rebuilt first when older than src/
  --runtime node   src/app.ts on the Node host (quicker to iterate on; Compute is right where they differ)
  --wasm FILE      serve this compiled module instead (wasm only; never rebuilt)
  --pop CODE       the FASTLY_POP this canary reports (default: FASTLY_POP, else "local"); give each
                   canary of a local fleet its shield's code`;

type Runtime = 'wasm' | 'node';

interface ServeFlags {
  runtime: Runtime;
  wasm: string | null;
  manifest: string;
  port: number;
  host: string;
  pop: string | null;
  help: boolean;
}

interface Served {
  url: string;
  description: string;
  close(): Promise<void>;
}

function parseServeFlags(argv: string[]): ServeFlags {
  const values = parseFlags(argv, {
    runtime: { type: 'string', default: 'wasm' },
    wasm: { type: 'string' },
    manifest: { type: 'string', default: 'fastly.toml' },
    port: { type: 'string', default: '7676' },
    host: { type: 'string', default: '127.0.0.1' },
    pop: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  });
  if (values.runtime !== 'wasm' && values.runtime !== 'node') {
    throw new UsageError(`--runtime must be wasm or node, got "${values.runtime}"`);
  }
  if (values.wasm !== undefined && values.runtime === 'node') throw new UsageError('--wasm only applies to --runtime wasm');
  return {
    runtime: values.runtime,
    wasm: values.wasm ?? null,
    manifest: values.manifest,
    port: parsePort(values.port, '--port'),
    host: values.host,
    pop: values.pop === undefined ? null : parsePopCode(values.pop, '--pop'),
    help: values.help,
  };
}

async function serveNode(manifest: LocalManifest, flags: ServeFlags): Promise<Served> {
  const platform = createNodePlatform(manifest, {
    ...(flags.pop === null ? {} : { pop: flags.pop }),
  });
  const server = await serve(createApp(platform), { port: flags.port, hostname: flags.host }).catch((error: unknown) => {
    platform.close();
    throw error;
  });
  return {
    url: server.url,
    description: 'src/app.ts on the Node host',
    async close() {
      // Backend requests first: a check still running fails now instead of retrying while the server waits for it.
      platform.close();
      await server.close();
    },
  };
}

async function serveWasmRuntime(manifest: LocalManifest, flags: ServeFlags): Promise<Served> {
  // Loaded only when asked for, so the Node runtime never starts the Compute host's machinery.
  const { serveWasm } = await import('../../scripts/compute-host/serve');
  const env = flags.pop === null ? process.env : { ...process.env, FASTLY_POP: flags.pop };
  const { host, description } = await serveWasm({ wasm: flags.wasm, manifest, host: flags.host, port: flags.port, env });
  return { url: host.url, description, close: () => host.close() };
}

/** The errors that are one line for the user: a bad module, a failed build, a busy port, a bad manifest. */
function isOneLineError(error: unknown): error is Error {
  if (error instanceof ManifestError || error instanceof ListenError) return true;
  return error instanceof Error && (error.name === 'WasmModuleError' || error.name === 'WasmBuildError');
}

async function main(argv: string[]): Promise<number> {
  try {
    const flags = parseServeFlags(argv);
    if (flags.help) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const manifest = loadManifest(flags.manifest);
    const served = flags.runtime === 'wasm' ? await serveWasmRuntime(manifest, flags) : await serveNode(manifest, flags);
    const stopped = untilStopSignal();
    const pop = flags.pop === null ? '' : `, pop ${flags.pop}`;
    process.stderr.write(`edge-canary listening on ${served.url} (manifest ${flags.manifest}${pop}) runtime ${flags.runtime}: ${served.description}\n`);
    const signal = await stopped;
    await served.close();
    process.stderr.write(`edge-canary stopped (${signal})\n`);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${PREFIX} ${error.message}\n${USAGE}\n`);
      return 1;
    }
    if (isOneLineError(error)) {
      process.stderr.write(`${PREFIX} ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

process.exitCode = await main(process.argv.slice(2)).catch((error: unknown) => reportCrash(PREFIX, error));

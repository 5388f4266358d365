/**
 * `npm run serve -- --manifest FILE --port N`: the canary under Node, configured by FILE's
 * [local_server]. Exit 0 after Ctrl-C / SIGTERM, 1 for a usage, manifest or listen error.
 */

import { createApp } from '../app';
import { UsageError, cliPrefix, parseFlags, parsePort, reportCrash, untilStopSignal } from './cli-kit';
import { ManifestError, loadManifest } from './manifest';
import { createNodePlatform } from './platform';
import { ListenError, serve } from './server';

const PREFIX = cliPrefix('serve');
const USAGE = 'usage: npm run serve -- [--manifest FILE] [--port N] [--host ADDRESS]';

interface ServeFlags {
  manifest: string;
  port: number;
  host: string;
  help: boolean;
}

function parseServeFlags(argv: string[]): ServeFlags {
  const values = parseFlags(argv, {
    manifest: { type: 'string', default: 'fastly.toml' },
    port: { type: 'string', default: '7676' },
    host: { type: 'string', default: '127.0.0.1' },
    help: { type: 'boolean', short: 'h', default: false },
  });
  return { manifest: values.manifest, port: parsePort(values.port, '--port'), host: values.host, help: values.help };
}

async function main(argv: string[]): Promise<number> {
  try {
    const flags = parseServeFlags(argv);
    if (flags.help) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const platform = createNodePlatform(loadManifest(flags.manifest));
    const server = await serve(createApp(platform), { port: flags.port, hostname: flags.host }).catch((error: unknown) => {
      platform.close();
      throw error;
    });
    const stopped = untilStopSignal();
    process.stderr.write(`edge-canary listening on ${server.url} (manifest ${flags.manifest})\n`);
    const signal = await stopped;
    await server.close();
    platform.close();
    process.stderr.write(`edge-canary stopped (${signal})\n`);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${PREFIX} ${error.message}\n${USAGE}\n`);
      return 1;
    }
    if (error instanceof ManifestError || error instanceof ListenError) {
      process.stderr.write(`${PREFIX} ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

process.exitCode = await main(process.argv.slice(2)).catch((error: unknown) => reportCrash(PREFIX, error));

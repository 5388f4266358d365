/**
 * `npm run serve -- --manifest FILE --port N`: the canary under Node, configured by FILE's
 * [local_server]. Exit 0 after Ctrl-C / SIGTERM, 1 for a usage, manifest or listen error.
 */

import { parseArgs } from 'node:util';
import { createApp } from '../app';
import { ManifestError, loadManifest } from './manifest';
import { createNodePlatform } from './platform';
import { ListenError, serve } from './server';

const USAGE = 'usage: npm run serve -- [--manifest FILE] [--port N] [--host ADDRESS]';

class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

interface ServeFlags {
  manifest: string;
  port: number;
  host: string;
  help: boolean;
}

function parseFlags(argv: string[]): ServeFlags {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        manifest: { type: 'string', default: 'fastly.toml' },
        port: { type: 'string', default: '7676' },
        host: { type: 'string', default: '127.0.0.1' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const port = Number(values.port);
  if (!/^\d+$/.test(values.port) || port > 65535) {
    throw new UsageError(`--port must be a number from 0 to 65535, got "${values.port}"`);
  }
  return { manifest: values.manifest, port, host: values.host, help: values.help };
}

function untilStopSignal(): Promise<string> {
  return new Promise((resolve) => {
    const stop = (signal: string) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

async function main(argv: string[]): Promise<number> {
  try {
    const flags = parseFlags(argv);
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
      process.stderr.write(`edge-canary: ${error.message}\n${USAGE}\n`);
      return 1;
    }
    if (error instanceof ManifestError || error instanceof ListenError) {
      process.stderr.write(`edge-canary: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

process.exitCode = await main(process.argv.slice(2));

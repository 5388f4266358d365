/**
 * The canary of the stack, configured by a manifest object, on either runtime: the compiled
 * module on the local Compute host, or the app's source on the Node host. Both take the same
 * options (log, clock, environment, backend timeouts), so a test or a script says once what it
 * wants and runs it on both.
 */
import { createApp } from '../../src/app';
import type { LocalManifest } from '../../src/node/manifest';
import { createNodePlatform } from '../../src/node/platform';
import type { NodePlatformOptions } from '../../src/node/platform';
import { ListenError, serve } from '../../src/node/server';
import { startWasmCanary } from './canary-wasm';
import { PortBusyError } from './errors';
import type { Runtime } from './runtime';

export interface CanaryServerOptions {
  manifest: LocalManifest;
  runtime: Runtime;
  host: string;
  /** 0 = ephemeral. */
  port: number;
  /** The FASTLY_POP this canary reports, on either runtime (a local fleet gives each canary its shield's code); wins over `platform.pop` and `env`. */
  pop?: string;
  /** `log` gets one record per log line of the canary, on both runtimes; `pop` and `releaseId` apply to the Node host only (the wasm reads FASTLY_POP and FASTLY_SERVICE_VERSION from `env`). */
  platform?: NodePlatformOptions;
  /** How long a Node host close waits for requests in flight before cutting them (default 2 s). */
  closeGraceMs?: number;
  /** The compiled module for the wasm runtime; default bin/main.wasm, rebuilt first when older than src/. */
  wasm?: string | Uint8Array;
  /** Get ready now (on the wasm, instantiate the module) but listen only once this settles; a rejection is thrown and nothing listens. */
  listenAfter?: Promise<unknown>;
}

export interface CanaryServer {
  /** `http://127.0.0.1:PORT` */
  url: string;
  port: number;
  runtime: Runtime;
  close(): Promise<void>;
}

export async function startCanaryServer(options: CanaryServerOptions): Promise<CanaryServer> {
  try {
    return options.runtime === 'wasm' ? await startWasmCanary(options) : await startNodeCanary(options);
  } catch (error) {
    if (isAddressInUse(error)) throw new PortBusyError('canary', options.host, options.port, { cause: error });
    throw error;
  }
}

async function startNodeCanary(options: CanaryServerOptions): Promise<CanaryServer> {
  const { manifest, pop } = options;
  const platform = createNodePlatform(manifest, {
    // The manifest's shielding sites, as the wasm reads them (the options may still name others).
    ...options.platform,
    ...(pop === undefined ? {} : { pop }),
  });
  try {
    await options.listenAfter;
    const server = await serve(createApp(platform), {
      port: options.port,
      hostname: options.host,
      ...(options.closeGraceMs === undefined ? {} : { closeGraceMs: options.closeGraceMs }),
    });
    let closing: Promise<void> | undefined;
    return {
      url: server.url,
      port: server.port,
      runtime: 'node',
      close: () => {
        // Backend requests first: a check still running fails now instead of retrying while the server waits for it.
        platform.close();
        closing ??= server.close();
        return closing;
      },
    };
  } catch (error) {
    platform.close();
    throw error;
  }
}

function isAddressInUse(error: unknown): boolean {
  if (error instanceof ListenError) return error.code === 'EADDRINUSE';
  for (let cause: unknown = error; cause instanceof Error; cause = cause.cause) {
    if ('code' in cause && cause.code === 'EADDRINUSE') return true;
  }
  return false;
}

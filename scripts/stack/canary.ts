/** The canary of the stack: the real app on the Node host, configured by a manifest object. */
import { createApp } from '../../src/app';
import type { LocalManifest } from '../../src/node/manifest';
import { createNodePlatform } from '../../src/node/platform';
import type { NodePlatformOptions } from '../../src/node/platform';
import { ListenError, serve } from '../../src/node/server';
import { PortBusyError } from './errors';

export interface CanaryServerOptions {
  manifest: LocalManifest;
  host: string;
  /** 0 = ephemeral. */
  port: number;
  platform?: NodePlatformOptions;
}

export interface CanaryServer {
  /** `http://127.0.0.1:PORT` */
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startCanaryServer(options: CanaryServerOptions): Promise<CanaryServer> {
  const platform = createNodePlatform(options.manifest, options.platform);
  try {
    const server = await serve(createApp(platform), { port: options.port, hostname: options.host });
    let closing: Promise<void> | undefined;
    return {
      url: server.url,
      port: server.port,
      close: () => {
        closing ??= server.close().finally(() => platform.close());
        return closing;
      },
    };
  } catch (error) {
    platform.close();
    if (error instanceof ListenError && error.code === 'EADDRINUSE') throw new PortBusyError('canary', options.host, options.port, { cause: error });
    throw error;
  }
}

/**
 * The local stack the benchmark measures: the GCS emulator and the uploader (rewriting the canary
 * every 2 s) as child processes, started as their npm scripts start them; two canaries on the Node
 * host in this process (one with coalescing off, one with result_ttl_ms), so the overhead figure
 * can compare /health with a signed GET made by the same process through the same backend client.
 * The HMAC key is random per run and reaches the emulator and the canaries through the
 * environment only.
 */
import { randomBytes } from 'node:crypto';
import { createApp } from '../../src/app';
import { parseManifest } from '../../src/node/manifest';
import { createNodePlatform } from '../../src/node/platform';
import type { NodePlatform } from '../../src/node/platform';
import { serve } from '../../src/node/server';
import { canaryManifestToml, DEMO_SECRET_ENV } from '../demo/canary-manifest';
import { startService } from './processes';
import type { ChildService } from './processes';

export const BENCH_BUCKET = 'edge-canary-bench';
export const BENCH_OBJECT = 'edge-canary/canary.json';
export const BENCH_ORIGIN_HOST = 'storage.googleapis.com';

export interface BenchCredentials {
  accessId: string;
  secret: string;
}

export interface BenchCanary {
  url: string;
  platform: NodePlatform;
}

export interface BenchStack {
  emulatorUrl: string;
  /** Coalescing off: every /health probes the origin. */
  canaryOff: BenchCanary;
  /** Coalescing on, result_ttl_ms as given. */
  canaryOn: BenchCanary;
  resultTtlMs: number;
  credentials: BenchCredentials;
  stop(): Promise<void>;
}

async function startCanary(emulatorUrl: string, credentials: BenchCredentials, resultTtlMs: number): Promise<BenchCanary & { close(): Promise<void> }> {
  const manifest = canaryManifestToml({
    emulatorUrl, bucket: BENCH_BUCKET, object: BENCH_OBJECT, accessId: credentials.accessId,
    config: { signing: 'goog4', origin_host: BENCH_ORIGIN_HOST, result_ttl_ms: String(resultTtlMs) },
  });
  const platform = createNodePlatform(parseManifest(manifest, { file: 'bench.toml', dir: process.cwd() }), {
    env: { [DEMO_SECRET_ENV]: credentials.secret },
    // Serialised like the default log line, then dropped: hundreds of probe lines would bury the table.
    log: (fields) => void JSON.stringify(fields),
  });
  const server = await serve(createApp(platform), { port: 0, hostname: '127.0.0.1' });
  return {
    url: server.url,
    platform,
    close: async () => {
      await server.close();
      platform.close();
    },
  };
}

export async function startBenchStack(options: { resultTtlMs: number; log: (line: string) => void }): Promise<BenchStack> {
  const credentials = {
    accessId: `GOOG1EBENCH${randomBytes(24).toString('hex').toUpperCase()}`,
    secret: randomBytes(30).toString('base64'),
  };
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const close of stops.splice(0).reverse()) await close();
  };
  try {
    const emulator = await startService({
      name: 'emulator',
      script: 'scripts/emulator/cli.ts',
      args: ['--port', '0', '--bucket', BENCH_BUCKET, '--quiet', '--json'],
      env: { EMULATOR_HMAC_KEYS: `${credentials.accessId}:${credentials.secret}` },
      ready: /"url":"(http:\/\/[^"]+)"/,
    });
    stops.push(emulator.stop);
    const emulatorUrl = emulator.ready;
    options.log(`emulator on ${emulatorUrl}`);

    const uploader: ChildService = await startService({
      name: 'uploader',
      script: 'scripts/upload-canary.ts',
      args: ['--bucket', BENCH_BUCKET, '--object', BENCH_OBJECT, '--interval', '2', '--endpoint', emulatorUrl, '--writer', 'bench'],
      ready: /(wrote gs:\/\/\S+ sequence \d+)/,
    });
    stops.push(uploader.stop);
    options.log('uploader rewriting the canary every 2 s');

    const canaryOff = await startCanary(emulatorUrl, credentials, 0);
    stops.push(canaryOff.close);
    const canaryOn = await startCanary(emulatorUrl, credentials, options.resultTtlMs);
    stops.push(canaryOn.close);
    options.log(`canaries on ${canaryOff.url} (coalescing off) and ${canaryOn.url} (result_ttl_ms ${options.resultTtlMs})`);
    return { emulatorUrl, canaryOff, canaryOn, resultTtlMs: options.resultTtlMs, credentials, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

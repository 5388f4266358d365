/**
 * The incident's cast on ephemeral ports: GCS emulator, uploader loop, the local production CDN in
 * front of the bucket (with a package file cached on first read), and the canary checking origin
 * and edge, on the runtime asked for (the compiled module by default). Shared by `npm run demo` and the end-to-end tests.
 */
import { parseManifest } from '../../src/node/manifest';
import { startCdn, type CachePolicy, type RunningCdn } from '../cdn';
import { startEmulator, type Emulator } from '../emulator';
import { startCanaryServer, type CanaryServer } from '../stack/canary';
import type { Runtime } from '../stack/runtime';
import { startStackUploader } from '../stack/uploader';
import { createStorage, type CanaryWriteError } from '../uploader';
import { canaryManifestToml, DEMO_SECRET_ENV } from './canary-manifest';

export const DEMO_BUCKET = 'pypi-files-demo';
export const CANARY_OBJECT = 'edge-canary/canary.json';
export const PACKAGE_OBJECT = 'packages/example-1.0.tar.gz';
/** The one HMAC key of the demo, held by the production CDN and the canary alike, as in production. */
export const DEMO_KEY = { accessId: 'GOOG1EDEMOPRODUCTIONCDNKEY000000000000000000000000000000000000', secret: 'ZGVtby1wcm9kdWN0aW9uLWNkbi1zZWNyZXQtMDAwMDA=' };

export interface StackOptions {
  /** What serves the canary: bin/main.wasm on the local Compute host (default) or the Node host. */
  runtime?: Runtime;
  uploadIntervalMs?: number;
  resultTtlMs?: number;
  deadlineMs?: number;
  /** The production CDN's set-up; by default it signs with DEMO_KEY, forces its TTL and applies the canary rule. */
  cdn?: { canaryRule?: boolean; cachePolicy?: CachePolicy; secret?: string };
  onUploadError?: (error: CanaryWriteError) => void;
}

export interface IncidentStack {
  emulator: Emulator;
  cdn: RunningCdn;
  canary: CanaryServer;
  healthUrl: string;
  packageUrl: string;
  /** The mistake of June 2022, as the emulator's control API makes it. */
  rotateKey(): Promise<void>;
  restoreKeys(): Promise<void>;
  close(): Promise<void>;
}

export async function startIncidentStack(options: StackOptions = {}): Promise<IncidentStack> {
  const cleanups: (() => Promise<unknown> | void)[] = [];
  const closeAll = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  };
  try {
    const emulator = await startEmulator({ port: 0, buckets: [DEMO_BUCKET], hmacKeys: [DEMO_KEY] });
    cleanups.push(() => emulator.close());

    const storage = createStorage({ endpoint: emulator.url });
    const uploader = await startStackUploader({
      storage, bucket: DEMO_BUCKET, object: CANARY_OBJECT, writer: 'uploader@demo',
      intervalMs: options.uploadIntervalMs ?? 2000,
      onEvent: (event) => {
        if (event.kind === 'error') options.onUploadError?.(event.error);
      },
    });
    cleanups.push(() => uploader.stop());
    await storage.bucket(DEMO_BUCKET).file(PACKAGE_OBJECT).save(Buffer.from('example-1.0 package bytes\n'), {
      resumable: false,
      contentType: 'application/gzip',
    });

    const cdnOptions = options.cdn ?? {};
    const cdn = await startCdn({
      origin: { url: emulator.url, bucket: DEMO_BUCKET, accessId: DEMO_KEY.accessId, secret: cdnOptions.secret ?? DEMO_KEY.secret },
      cachePolicy: cdnOptions.cachePolicy ?? 'service-ttl',
      canaryRule: cdnOptions.canaryRule ?? true,
      canaryPath: CANARY_OBJECT,
    });
    cleanups.push(() => cdn.close());
    const packageUrl = `${cdn.url}/${PACKAGE_OBJECT}`;
    // The classic monitor's file is cached on its first read, as a popular package is.
    await (await fetch(packageUrl)).arrayBuffer();

    const manifestText = canaryManifestToml({
      emulatorUrl: emulator.url, cdnUrl: cdn.url, edgeUrl: `${cdn.url}/${CANARY_OBJECT}`,
      bucket: DEMO_BUCKET, object: CANARY_OBJECT, accessId: DEMO_KEY.accessId,
      config: {
        result_ttl_ms: String(options.resultTtlMs ?? 1000),
        deadline_ms: String(options.deadlineMs ?? 2000),
      },
    });
    const canary = await startCanaryServer({
      manifest: parseManifest(manifestText, { file: 'demo canary manifest', dir: process.cwd() }),
      runtime: options.runtime ?? 'wasm',
      host: '127.0.0.1',
      port: 0,
      // The demo narrates instead of printing the canary's log lines.
      platform: { env: { [DEMO_SECRET_ENV]: DEMO_KEY.secret }, log: () => undefined },
    });
    cleanups.push(() => canary.close());
    // The timeline starts when the cast is ready: a first answer from the canary means its host has
    // started (on the wasm, the first sandbox is the slow one), so T+0 polls are not start-up noise.
    // /live only: a /health here would put the canary in a caching CDN before the scenario starts.
    await (await fetch(`${canary.url}/live`)).arrayBuffer();

    return {
      emulator, cdn, canary,
      healthUrl: `${canary.url}/health`,
      packageUrl,
      rotateKey: () => control(emulator.url, '/_emulator/keys/rotate', { accessId: DEMO_KEY.accessId }),
      restoreKeys: () => control(emulator.url, '/_emulator/keys/restore', {}),
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

async function control(emulatorUrl: string, path: string, body: Record<string, string>): Promise<void> {
  const response = await fetch(`${emulatorUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`emulator ${path}: HTTP ${response.status} ${await response.text()}`);
}

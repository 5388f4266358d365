/**
 * The incident's cast on ephemeral ports: GCS emulator, uploader loop, the local production CDN in
 * front of the bucket (with a package file cached on first read), and the canary under the Node
 * host checking origin and edge. Shared by `npm run demo` and the end-to-end tests.
 */
import { createApp } from '../../src/app';
import { loadManifest } from '../../src/node/manifest';
import { createNodePlatform, type NodePlatform } from '../../src/node/platform';
import { serve, type RunningServer } from '../../src/node/server';
import { startCdn, type CachePolicy, type OriginSpec, type RunningCdn } from '../cdn';
import { startEmulator, type Emulator } from '../emulator';
import { createStorage, runUploadLoop, writeCanary, type CanaryWriteError, type LoopSummary } from '../uploader';
import { DEMO_SECRET_ENV, writeCanaryManifest, type WrittenManifest } from './canary-manifest';

export const DEMO_BUCKET = 'pypi-files-demo';
export const CANARY_OBJECT = 'edge-canary/canary.json';
export const PACKAGE_OBJECT = 'packages/example-1.0.tar.gz';
/** The one HMAC key of the demo, held by the production CDN and the canary alike, as in production. */
export const DEMO_KEY = { accessId: 'GOOG1EDEMOPRODUCTIONCDNKEY000000000000000000000000000000000000', secret: 'ZGVtby1wcm9kdWN0aW9uLWNkbi1zZWNyZXQtMDAwMDA=' };

export interface StackOptions {
  uploadIntervalMs?: number;
  resultTtlMs?: number;
  deadlineMs?: number;
  emulatorPort?: number;
  cdnPort?: number;
  canaryPort?: number;
  /** The production CDN's set-up; by default it signs with DEMO_KEY, forces its TTL and applies the canary rule. */
  cdn?: { canaryRule?: boolean; cachePolicy?: CachePolicy; secret?: string; fallback?: OriginSpec };
  /** Extra emulator keys (e.g. for a fallback bucket) and buckets. */
  extraKeys?: { accessId: string; secret: string }[];
  extraBuckets?: string[];
  onUploadError?: (error: CanaryWriteError) => void;
  /** The canary's structured log lines; dropped by default (the demo narrates instead). */
  canaryLog?: (fields: Record<string, unknown>) => void;
}

export interface IncidentStack {
  emulator: Emulator;
  cdn: RunningCdn;
  canary: RunningServer;
  healthUrl: string;
  packageUrl: string;
  edgeCanaryUrl: string;
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
    const emulator = await startEmulator({
      port: options.emulatorPort ?? 0,
      buckets: [DEMO_BUCKET, ...(options.extraBuckets ?? [])],
      hmacKeys: [DEMO_KEY, ...(options.extraKeys ?? [])],
    });
    cleanups.push(() => emulator.close());

    const storage = createStorage({ endpoint: emulator.url });
    const upload = { storage, bucket: DEMO_BUCKET, object: CANARY_OBJECT, writer: 'uploader@demo' };
    await writeCanary(upload);
    await storage.bucket(DEMO_BUCKET).file(PACKAGE_OBJECT).save(Buffer.from('example-1.0 package bytes\n'), {
      resumable: false,
      contentType: 'application/gzip',
    });
    const stopUploads = new AbortController();
    const loop: Promise<LoopSummary | void> = runUploadLoop({
      ...upload,
      intervalMs: options.uploadIntervalMs ?? 2000,
      signal: stopUploads.signal,
      ...(options.onUploadError ? { onError: options.onUploadError } : {}),
    }).catch(() => undefined);
    cleanups.push(async () => {
      stopUploads.abort();
      await loop;
    });

    const cdnOptions = options.cdn ?? {};
    const cdn = await startCdn({
      port: options.cdnPort ?? 0,
      origin: { url: emulator.url, bucket: DEMO_BUCKET, accessId: DEMO_KEY.accessId, secret: cdnOptions.secret ?? DEMO_KEY.secret },
      cachePolicy: cdnOptions.cachePolicy ?? 'service-ttl',
      canaryRule: cdnOptions.canaryRule ?? true,
      canaryPath: CANARY_OBJECT,
      ...(cdnOptions.fallback ? { fallback: cdnOptions.fallback } : {}),
    });
    cleanups.push(() => cdn.close());
    const packageUrl = `${cdn.url}/${PACKAGE_OBJECT}`;
    const edgeCanaryUrl = `${cdn.url}/${CANARY_OBJECT}`;
    // The classic monitor's file is cached on its first read, as a popular package is.
    await (await fetch(packageUrl)).arrayBuffer();

    const manifest: WrittenManifest = await writeCanaryManifest({
      emulatorUrl: emulator.url, cdnUrl: cdn.url, edgeUrl: edgeCanaryUrl,
      bucket: DEMO_BUCKET, object: CANARY_OBJECT, accessId: DEMO_KEY.accessId,
      config: {
        result_ttl_ms: String(options.resultTtlMs ?? 1000),
        deadline_ms: String(options.deadlineMs ?? 2000),
      },
    });
    cleanups.push(() => manifest.remove());
    const platform: NodePlatform = createNodePlatform(loadManifest(manifest.file), {
      env: { [DEMO_SECRET_ENV]: DEMO_KEY.secret },
      log: options.canaryLog ?? (() => undefined),
    });
    cleanups.push(() => platform.close());
    const canary = await serve(createApp(platform), { port: options.canaryPort ?? 0 });
    cleanups.push(() => canary.close());

    return {
      emulator, cdn, canary,
      healthUrl: `${canary.url}/health`,
      packageUrl,
      edgeCanaryUrl,
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

/**
 * The cast of the PyPI-2026 scene on ephemeral ports: a Backblaze-B2-style primary and an
 * AWS-S3-style archive on the emulator, the uploader writing the canary to both, the local
 * production CDN signing both with SigV4 (each with its own key) and restarting onto the archive
 * on a 403, 404 or 5xx for every path, the canary's included (as PyPI's service does), and the
 * canary reading each bucket with its own key and the canary path through the CDN.
 */
import { CONFIG_STORE, SECRET_STORE } from '../../src/core/types';
import type { LocalManifest } from '../../src/node/manifest';
import { startCdn } from '../cdn';
import { startEmulator } from '../emulator';
import { startCanaryServer } from '../stack/canary';
import type { Runtime } from '../stack/runtime';
import { startOriginsUploader } from '../stack/origins-uploader';
import { createStorage, type CanaryWriteError } from '../uploader';
import { parseOriginsJson } from '../uploader/origins-file';
import type { IncidentStack } from './stack';

export const CANARY_OBJECT = 'edge-canary/canary.json';
/** The synthetic check's file: in both buckets, read with a cache-busting query so every read is a miss. */
export const SENTINEL_OBJECT = 'packages/sentinel/sentinel-1.0.txt';
export const PRIMARY = { bucket: 'pypi-files-b2', region: 'us-east-005', host: 's3.us-east-005.backblazeb2.com' };
export const ARCHIVE = { bucket: 'pypi-files-archive', region: 'us-west-2', host: 's3.us-west-2.amazonaws.com' };
/** Demo keys known only to this emulator: the primary's and the archive's read keys (the CDN and the canary hold them), and the uploader's. */
export const PRIMARY_KEY = { accessId: '005DEMOB2PRIMARYREADKEY01', secret: 'demo-b2-primary-application-key-0001' };
export const ARCHIVE_KEY = { accessId: 'AKIADEMOARCHIVEREAD01', secret: 'demo-s3-archive-secret-access-key-0001' };
export const UPLOADER_KEY = { accessId: 'AKIADEMOUPLOADER0001', secret: 'demo-uploader-write-secret-0001' };

const ORIGINS = [
  { role: 'primary', backend: 'b2', bucket: PRIMARY.bucket, object: CANARY_OBJECT, signing: 'aws4', host: PRIMARY.host, url_style: 'path', region: PRIMARY.region, provider: 'b2', credential: 'primary' },
  { role: 'fallback', backend: 'archive', bucket: ARCHIVE.bucket, object: CANARY_OBJECT, signing: 'aws4', host: ARCHIVE.host, url_style: 'virtual', region: ARCHIVE.region, provider: 's3', credential: 'archive' },
];

export interface ArchiveStackOptions {
  runtime?: Runtime;
  uploadIntervalMs?: number;
  resultTtlMs?: number;
  deadlineMs?: number;
  onUploadError?: (error: CanaryWriteError) => void;
}

export interface ArchiveStack extends IncidentStack {
  /** A new URL for the sentinel on every call (`?nocache=N`): the synthetic check never reads from cache. */
  sentinelUrl(): string;
}

function canaryManifest(emulatorUrl: string, cdnUrl: string, config: Record<string, string>): LocalManifest {
  const backend = (name: string, url: string) => [name, { name, url: new URL(url), overrideHost: null, certHost: null, useSni: true }] as const;
  const secret = (name: string, value: string) => [name, { kind: 'value', value }] as const;
  return {
    file: 'PyPI-2026 demo canary manifest',
    backends: new Map([backend('b2', emulatorUrl), backend('archive', emulatorUrl), backend('edge', cdnUrl)]),
    configStores: new Map([[CONFIG_STORE, new Map([['origins', JSON.stringify(ORIGINS)], ['edge_url', `${cdnUrl}/${CANARY_OBJECT}`], ...Object.entries(config)])]]),
    secretStores: new Map([[SECRET_STORE, new Map([
      secret('primary_access_id', PRIMARY_KEY.accessId), secret('primary_secret', PRIMARY_KEY.secret),
      secret('archive_access_id', ARCHIVE_KEY.accessId), secret('archive_secret', ARCHIVE_KEY.secret),
    ])]]),
  };
}

export async function startArchiveStack(options: ArchiveStackOptions = {}): Promise<ArchiveStack> {
  const cleanups: (() => Promise<unknown>)[] = [];
  const closeAll = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  };
  try {
    const emulator = await startEmulator({
      port: 0, hmacKeys: [PRIMARY_KEY, ARCHIVE_KEY, UPLOADER_KEY],
      s3Buckets: [{ name: PRIMARY.bucket, provider: 'b2', region: PRIMARY.region }, { name: ARCHIVE.bucket, provider: 's3', region: ARCHIVE.region }],
    });
    cleanups.push(() => emulator.close());
    for (const bucket of [PRIMARY.bucket, ARCHIVE.bucket]) {
      emulator.putObject(bucket, SENTINEL_OBJECT, 'sentinel-1.0: a file the synthetic check reads\n', { contentType: 'text/plain', checksumAlgorithm: 'CRC32C' });
    }
    const uploader = await startOriginsUploader({
      storage: createStorage({ endpoint: emulator.url }), endpoint: emulator.url,
      origins: parseOriginsJson(JSON.stringify(ORIGINS), 'the demo origins'), writeKey: UPLOADER_KEY,
      writer: 'uploader@demo', intervalMs: options.uploadIntervalMs ?? 2000,
      onEvent: (event) => (event.kind === 'error' ? options.onUploadError?.(event.error) : undefined),
    });
    cleanups.push(() => uploader.stop());

    const cdn = await startCdn({
      origin: { url: emulator.url, bucket: PRIMARY.bucket, ...PRIMARY_KEY, signing: 'aws4', host: PRIMARY.host, region: PRIMARY.region },
      fallback: { url: emulator.url, bucket: ARCHIVE.bucket, ...ARCHIVE_KEY, signing: 'aws4', host: ARCHIVE.host, region: ARCHIVE.region, urlStyle: 'virtual' },
      cachePolicy: 'service-ttl',
      canaryRule: true,
      canaryRestarts: true,
      canaryPath: CANARY_OBJECT,
    });
    cleanups.push(() => cdn.close());

    const canary = await startCanaryServer({
      manifest: canaryManifest(emulator.url, cdn.url, { result_ttl_ms: String(options.resultTtlMs ?? 1000), deadline_ms: String(options.deadlineMs ?? 2000) }),
      runtime: options.runtime ?? 'wasm', host: '127.0.0.1', port: 0,
      platform: { log: () => undefined },
    });
    cleanups.push(() => canary.close());
    // As in the 2022 scene: /live makes the host start its first sandbox before T+0.
    await (await fetch(`${canary.url}/live`)).arrayBuffer();

    let reads = 0;
    const sentinelUrl = () => `${cdn.url}/${SENTINEL_OBJECT}?nocache=${++reads}`;
    return {
      emulator, cdn, canary,
      healthUrl: `${canary.url}/health`,
      packageUrl: `${cdn.url}/${SENTINEL_OBJECT}`,
      sentinelUrl,
      rotateKey: async () => void emulator.rotateKey(PRIMARY_KEY.accessId),
      restoreKeys: async () => emulator.restoreKeys(),
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

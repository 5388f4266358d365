/**
 * The whole local system in one process: the storage emulator holding every bucket the canary
 * reads, the uploader loop writing each of them, and the canary on the chosen runtime (the
 * compiled module by default). `npm start` (with an S3 archive fallback beside the primary) and
 * the end-to-end tests both start it through `startStack`.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import { PortInUseError, startEmulator } from '../emulator';
import type { Emulator, LogEntry } from '../emulator';
import { createStorage } from '../uploader';
import type { WriteResult } from '../uploader';
import { parseOriginsJson } from '../uploader/origins-file';
import type { CanaryConfig } from '../../src/core/config';
import { CONFIG_STORE } from '../../src/core/types';
import { loadManifest } from '../../src/node/manifest';
import type { LocalManifest } from '../../src/node/manifest';
import type { NodePlatformOptions } from '../../src/node/platform';
import { startCanaryServer } from './canary';
import type { CanaryServer } from './canary';
import { PortBusyError } from './errors';
import { withArchiveFallback } from './archive';
import { pointedAt, stackSettings, withOverrides } from './manifest';
import type { ConfigOverrides, HmacKey } from './manifest';
import { describeOrigins, distinctKeys, emulatorBuckets } from './stack-origins';
import type { OriginSummary } from './stack-origins';
import { startOriginsUploader } from './origins-uploader';
import { assertPortsFree } from './ports';
import type { Runtime } from './runtime';
import { startStackUploader } from './uploader';
import type { StackUploader, UploadEvent } from './uploader';

export const DEFAULT_MANIFEST = fileURLToPath(new URL('../../fastly.toml', import.meta.url));
export const DEFAULT_CANARY_PORT = 7676;
export const DEFAULT_EMULATOR_PORT = 4443;
export const DEFAULT_UPLOADER_INTERVAL_MS = 30_000;

export interface StackOptions {
  /** fastly.toml whose `[local_server]` configures the canary; ignored when `manifest` is given. */
  manifestFile?: string;
  manifest?: LocalManifest;
  /** Replace entries of the config store `canary_config`, e.g. `{ result_ttl_ms: '0' }`. */
  config?: ConfigOverrides;
  /**
   * Add an AWS-S3-style archive bucket as the fallback of the manifest's one bucket (scripts/stack/archive.ts),
   * as `npm start` does; a manifest that lists `origins` already is served as it is either way.
   */
  archiveFallback?: boolean;
  /** Listen address of both servers (default 127.0.0.1). */
  host?: string;
  /** 0 = ephemeral. Defaults 7676 and 4443. */
  canaryPort?: number;
  emulatorPort?: number;
  uploaderIntervalMs?: number;
  /** Recorded in the canary object (default `uploader@<hostname>`). */
  writer?: string;
  /** What serves the canary: `wasm` (bin/main.wasm on the local Compute host, the default) or `node`. */
  runtime?: Runtime;
  /** The module the wasm runtime serves; default bin/main.wasm, rebuilt first when older than src/. */
  wasm?: string;
  /** The canary's log lines, clock, environment and backend timeouts, on either runtime; JSON on stderr by default. */
  platform?: NodePlatformOptions;
  onUpload?: (event: UploadEvent) => void;
  onEmulatorRequest?: (entry: LogEntry) => void;
  env?: Readonly<Record<string, string | undefined>>;
}

export interface Stack {
  canary: CanaryServer;
  runtime: Runtime;
  emulator: Emulator;
  /** The canary's manifest as served: backend `gcs` points at this emulator. */
  manifest: LocalManifest;
  /** The canary's validated configuration, overrides applied. */
  config: CanaryConfig;
  bucket: string;
  object: string;
  /** The access id the canary signs with (never the secret); null for `signing = none`. */
  accessId: string | null;
  /** Every bucket the canary reads, primary first, each with the access id it reads it with (never the secret). */
  origins: OriginSummary[];
  /** True when the config lists `origins` (each a target of its own, written by the every-origin uploader), false for the flat keys. */
  listsOrigins: boolean;
  uploader: StackUploader;
  /** Another canary on the same emulator with more overrides (e.g. another signing mode); closed with the stack. */
  startCanary(config: ConfigOverrides, port?: number): Promise<CanaryServer>;
  writeCanary(): Promise<WriteResult>;
  /** Stops the canaries, the uploader (its write in flight finishes) and the emulator, in that order. Idempotent. */
  close(): Promise<void>;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const host = options.host ?? '127.0.0.1';
  const canaryPort = options.canaryPort ?? DEFAULT_CANARY_PORT;
  const emulatorPort = options.emulatorPort ?? DEFAULT_EMULATOR_PORT;
  const runtime = options.runtime ?? 'wasm';
  const loaded = withOverrides(options.manifest ?? loadManifest(options.manifestFile ?? DEFAULT_MANIFEST), options.config ?? {});
  const base = options.archiveFallback ? withArchiveFallback(loaded) : loaded;
  const settings = stackSettings(base, options.env ?? process.env);
  const originsJson = base.configStores.get(CONFIG_STORE)?.get('origins');
  // The uploader's own key for S3-compatible buckets, fresh each run: the canary's keys can be rotated without stopping the writes.
  const writeKey: HmacKey = { accessId: 'AKIALOCALSTACKUPLOADER', secret: randomBytes(24).toString('base64url') };
  await assertPortsFree([
    { role: 'canary', host, port: canaryPort },
    { role: 'storage emulator', host, port: emulatorPort },
  ]);

  const closers: Array<() => Promise<void>> = [];
  const closeAll = async (): Promise<void> => {
    for (const close of closers.splice(0).reverse()) await close();
  };
  try {
    const emulator = await startEmulator({
      port: emulatorPort,
      host,
      ...emulatorBuckets(settings.origins),
      // The origins form's uploader writes every S3-compatible bucket with writeKey, even when there is only one.
      hmacKeys: [...distinctKeys(settings.origins), ...(originsJson === undefined ? [] : [writeKey])],
      ...(options.onEmulatorRequest ? { onRequest: options.onEmulatorRequest } : {}),
    }).catch((error: unknown) => {
      throw error instanceof PortInUseError ? new PortBusyError('storage emulator', host, emulatorPort, { cause: error }) : error;
    });
    closers.push(() => emulator.close());

    const manifest = pointedAt(base, emulator.url, settings.config.origins);
    const storage = createStorage({ endpoint: emulator.url });
    const writer = options.writer ?? `uploader@${hostname()}`;
    const intervalMs = options.uploaderIntervalMs ?? DEFAULT_UPLOADER_INTERVAL_MS;
    const onEvent = options.onUpload ? { onEvent: options.onUpload } : {};
    const firstWrite = originsJson === undefined
      ? startStackUploader({ storage, bucket: settings.config.bucket, object: settings.config.object, writer, intervalMs, ...onEvent })
      : startOriginsUploader({
        storage, endpoint: emulator.url, origins: parseOriginsJson(originsJson, `${base.file} origins`), writeKey, writer, intervalMs, ...onEvent,
      });

    const launchCanary = (config: ConfigOverrides, port: number, listenAfter?: Promise<unknown>): Promise<CanaryServer> => startCanaryServer({
      manifest: withOverrides(manifest, config), runtime, host, port,
      ...platformOption(options),
      ...(options.wasm === undefined ? {} : { wasm: options.wasm }),
      ...(listenAfter === undefined ? {} : { listenAfter }),
    });
    const startCanary = async (config: ConfigOverrides, port = 0): Promise<CanaryServer> => {
      const canary = await launchCanary(config, port);
      closers.push(() => canary.close());
      return canary;
    };
    // The first write and the canary's start-up (on the wasm, instantiating the module) overlap, so the
    // start time is the longer of the two; but the canary listens only once the write has landed: a
    // browser tab already polling its port must never see not_found for a canary not yet written.
    const [uploaderStart, canaryStart] = await Promise.allSettled([firstWrite, launchCanary({}, canaryPort, firstWrite)]);
    if (uploaderStart.status === 'fulfilled') closers.push(() => uploaderStart.value.stop());
    if (canaryStart.status === 'fulfilled') closers.push(() => canaryStart.value.close());
    if (uploaderStart.status === 'rejected') throw uploaderStart.reason;
    if (canaryStart.status === 'rejected') throw canaryStart.reason;
    const uploader = uploaderStart.value;
    const canary = canaryStart.value;

    let closing: Promise<void> | undefined;
    return {
      canary,
      runtime,
      emulator,
      manifest,
      config: settings.config,
      bucket: settings.config.bucket,
      object: settings.config.object,
      accessId: settings.hmacKey?.accessId ?? null,
      origins: describeOrigins(settings),
      listsOrigins: originsJson !== undefined,
      uploader,
      startCanary,
      writeCanary: () => uploader.writeNow(),
      close: () => (closing ??= closeAll()),
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

function platformOption(options: StackOptions): { platform?: NodePlatformOptions } {
  return options.platform ? { platform: options.platform } : {};
}

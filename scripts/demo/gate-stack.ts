/**
 * The gate's cast on ephemeral ports: a private bucket (GCS emulator) with a fresh canary and an
 * archive copy, the production service's versions in a fake Fastly API, and local production and
 * staging networks that run each version as the local production CDN. Version 41 is active; the
 * drafts are the mistakes the gate exists for, and one good change. Shared by `npm run demo --
 * --gate` and test/gate.
 */
import type { CdnOptions } from '../cdn';
import type { GateOptions } from '../gate/args';
import { startEmulator, type Emulator } from '../emulator';
import {
  startFakeFastlyApi, startFakeNetworks, type FakeFastlyApi, type FakeNetworks, type FakeVersion, type ServiceConfig,
} from '../fastly-api-fake';

export const GATE_SERVICE_ID = 'SU1Z0isxPaozGVKXdv0eY';
export const GATE_BUCKET = 'pypi-files-gate-demo';
export const GATE_ARCHIVE_BUCKET = 'pypi-archive-gate-demo';
export const GATE_CANARY_OBJECT = 'edge-canary/canary.json';
/** The production CDN's HMAC key, and the archive's: both known only to the local emulator. */
export const GATE_KEY = { accessId: 'GOOG1EGATEDEMOPRODUCTIONKEY00000000000000000000000000000000000', secret: 'Z2F0ZS1kZW1vLXByb2R1Y3Rpb24tc2VjcmV0LTAwMDE=' };
export const GATE_ARCHIVE_KEY = { accessId: 'GOOG1EGATEDEMOARCHIVEKEY0000000000000000000000000000000000000', secret: 'Z2F0ZS1kZW1vLWFyY2hpdmUtc2VjcmV0LTAwMDAwMDI=' };
/** The 2022 mistake: a reviewed change carrying a secret the bucket does not know. */
export const GATE_WRONG_SECRET = 'Z2F0ZS1kZW1vLXdyb25nLWRyYWZ0LXNlY3JldC0wMDM=';

interface Delivery {
  secret: string;
  canaryRule: boolean;
  fallback: boolean;
}

interface DraftSpec {
  number: number;
  /** What the change was meant to do, for the story. */
  summary: string;
  delivery: Delivery;
}

export const ACTIVE_VERSION = 41;
export const DRAFTS = {
  wrongSecret: { number: 42, summary: 'rotate the bucket credential (the new secret is not the bucket\'s)', delivery: { secret: GATE_WRONG_SECRET, canaryRule: true, fallback: false } },
  cachesCanary: { number: 43, summary: 'tidy the VCL (drops the canary rule: the canary gets cached)', delivery: { secret: GATE_KEY.secret, canaryRule: false, fallback: false } },
  fallsBack: { number: 44, summary: 'add the archive as fallback, with the wrong secret again (the archive hides it)', delivery: { secret: GATE_WRONG_SECRET, canaryRule: false, fallback: true } },
  good: { number: 45, summary: 'raise max_conn on the gcs backend', delivery: { secret: GATE_KEY.secret, canaryRule: true, fallback: false } },
  /** The credential change went to a versionless store instead: the version itself is unchanged. */
  storeOnly: { number: 46, summary: 'rotate the credential in the Secret Store (versionless: nothing to stage)', delivery: { secret: GATE_KEY.secret, canaryRule: true, fallback: false } },
} satisfies Record<string, DraftSpec>;

const ACTIVE: Delivery = { secret: GATE_KEY.secret, canaryRule: true, fallback: false };

export interface GateStack {
  emulator: Emulator;
  api: FakeFastlyApi;
  networks: FakeNetworks;
  token: string;
  /** The canary on the production hostname (here: the local production network). */
  canaryUrl: string;
  close(): Promise<void>;
}

export interface GateStackOptions {
  token: string;
  /** See FakeNetworkOptions.stagingHost; without it, staging is reached with --connect-to. */
  stagingHost?: string;
}

export async function startGateStack(options: GateStackOptions): Promise<GateStack> {
  const cleanups: (() => Promise<unknown> | void)[] = [];
  const closeAll = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  };
  try {
    const emulator = await startEmulator({ port: 0, buckets: [GATE_BUCKET, GATE_ARCHIVE_BUCKET], hmacKeys: [GATE_KEY, GATE_ARCHIVE_KEY] });
    cleanups.push(() => emulator.close());
    writeGateCanaries(emulator);

    const deliveries = new Map<number, Delivery>([[ACTIVE_VERSION, ACTIVE], ...Object.values(DRAFTS).map((d) => [d.number, d.delivery] as const)]);
    const networks = await startFakeNetworks({
      cdnFor: (version) => cdnOptions(emulator, deliveries.get(version.number) ?? ACTIVE),
      ...(options.stagingHost ? { stagingHost: options.stagingHost } : {}),
    });
    cleanups.push(() => networks.close());
    const versions: FakeVersion[] = [...deliveries].map(([number, delivery]) => ({ number, config: serviceConfig(number, delivery, networks.url('production')) }));
    await networks.activate('production', versions[0]!);

    const host = new URL(networks.url('production')).hostname;
    const api = await startFakeFastlyApi({
      token: options.token,
      service: { id: GATE_SERVICE_ID, activeVersion: ACTIVE_VERSION, versions, domains: [{ name: host, stagingIp: options.stagingHost ?? null }] },
      onActivate: (environment, version) => networks.activate(environment, version),
      onDeactivate: (environment) => networks.deactivate(environment),
    });
    cleanups.push(() => api.close());
    return { emulator, api, networks, token: options.token, canaryUrl: `${networks.url('production')}/${GATE_CANARY_OBJECT}`, close: closeAll };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

/** The gate's options for this stack, as `npm run gate` would parse them, without waits for propagation. */
export function gateOptionsFor(stack: GateStack, overrides: Partial<GateOptions> = {}): GateOptions {
  return {
    serviceId: GATE_SERVICE_ID, version: DRAFTS.good.number, url: new URL(stack.canaryUrl), activate: true, confirm: 3,
    settleMs: 0, intervalMs: 300, connectTo: null, apiBase: stack.api.url,
    judgement: { attempts: 2, warnAgeSeconds: 300, maxAgeSeconds: 900, edgeBackendHeader: null, edgeExpectedBackend: null },
    deadlineMs: 3000, json: false, token: stack.token,
    ...overrides,
  };
}

/** What the uploader writes, fresh, in the bucket and (as a replicated archive holds it) the archive. */
export function writeGateCanaries(emulator: Emulator, sequence = 1): void {
  const metadata = { contentType: 'application/json', cacheControl: 'no-store, max-age=0' };
  for (const bucket of [GATE_BUCKET, GATE_ARCHIVE_BUCKET]) {
    const body = JSON.stringify({ kind: 'edge-canary', version: 1, written_at: new Date().toISOString(), sequence, writer: `uploader@${bucket}` });
    emulator.putObject(bucket, GATE_CANARY_OBJECT, body, metadata);
  }
}

function cdnOptions(emulator: Emulator, delivery: Delivery): CdnOptions {
  return {
    origin: { url: emulator.url, bucket: GATE_BUCKET, accessId: GATE_KEY.accessId, secret: delivery.secret },
    ...(delivery.fallback ? { fallback: { url: emulator.url, bucket: GATE_ARCHIVE_BUCKET, ...GATE_ARCHIVE_KEY } } : {}),
    cachePolicy: 'service-ttl',
    canaryRule: delivery.canaryRule,
    canaryPath: GATE_CANARY_OBJECT,
  };
}

/** The version as the diff API shows it: the signing snippet holds the secret, as PyPI's VCL did. */
function serviceConfig(number: number, delivery: Delivery, productionUrl: string): ServiceConfig {
  const gcs = {
    name: 'gcs', address: 'storage.googleapis.com', port: 443, use_ssl: true, connect_timeout: 1000,
    first_byte_timeout: 5000, between_bytes_timeout: 5000, max_conn: number === DRAFTS.good.number ? 400 : 200,
  };
  const archive = { name: 'archive', address: 'storage.googleapis.com', port: 443, use_ssl: true, connect_timeout: 1000, first_byte_timeout: 5000, between_bytes_timeout: 5000, max_conn: 200 };
  const sign = {
    name: 'gcs_sign', type: 'miss', priority: 100, dynamic: 0,
    content: [
      `set var.access_id = "${GATE_KEY.accessId}";`,
      `set var.secret = "${delivery.secret}";`,
      'call gcs_goog4_sign;',
    ].join('\n'),
  };
  const canaryRule = { name: 'edge_canary_recv', type: 'recv', priority: 900, dynamic: 0, content: 'if (req.url.path == "/edge-canary/canary.json") { return(pass); }' };
  const restart = { name: 'archive_fallback', type: 'deliver', priority: 50, dynamic: 0, content: 'if (resp.status == 403 && req.restarts == 0) { set req.backend = F_archive; restart; }' };
  return {
    backends: delivery.fallback ? [gcs, archive] : [gcs],
    domains: [{ name: new URL(productionUrl).hostname, comment: '' }],
    snippets: [sign, ...(delivery.canaryRule ? [canaryRule] : []), ...(delivery.fallback ? [restart] : [])],
  };
}

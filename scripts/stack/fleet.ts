/**
 * A local fleet: one canary per shield POP, each with its own POP code and its own path to the
 * bucket, plus the edge canary, whose manifest lists the shields as shielding sites, so
 * `/health?scope=fleet` on the edge runs the check at every shield the way Fastly's Shield API
 * does in production. All of it on one emulator and one uploader (the stack's).
 *
 * Each shield's manifest names itself as `"Local"` (the POP it pretends to be) and the other
 * shields by URL, as a shield POP on Fastly knows every shield; it must still never fan out. The
 * edge's names every shield. The remote entries are filled in once every member listens (their
 * ports are ephemeral): both hosts read the sites per request.
 */
import { randomBytes } from 'node:crypto';
import { MAX_SHIELDS, parseShields } from '../../src/core/fleet/shields-config';
import { SECRET_FLEET_KEY } from '../../src/core/types';
import { loadManifest } from '../../src/node/manifest';
import type { BackendSpec, LocalManifest } from '../../src/node/manifest';
import type { ShieldingSites } from '../../src/node/shielding-sites';
import { startCanaryServer } from './canary';
import type { CanaryServer } from './canary';
import { StackConfigError } from './errors';
import { withOverrides, withSecrets } from './manifest';
import { startShieldPath } from './shield-path';
import type { ShieldPath } from './shield-path';
import { DEFAULT_MANIFEST, startStack } from './stack';
import type { Stack, StackOptions } from './stack';

/** PyPI's two shields (B2 at iad-va-us, the archive at bfi-wa-us): the fleet `npm start -- --fleet` runs. */
export const DEFAULT_FLEET_SHIELDS: readonly string[] = ['iad-va-us', 'bfi-wa-us'];
/** The service's limit (the 32 backend requests of one fleet check must hold with retries). */
export const MAX_FLEET_SHIELDS = MAX_SHIELDS;

export interface FleetOptions extends StackOptions {
  shields?: readonly string[];
  /** The inner-request key every member shares; a fresh random one by default. */
  fleetKey?: string;
}

export interface FleetShield {
  code: string;
  canary: CanaryServer;
  /** This shield's route to the bucket: hang it to break this shield alone. */
  path: ShieldPath;
}

export interface Fleet {
  /** The emulator, the uploader and the edge canary (`stack.canary`). */
  stack: Stack;
  edge: CanaryServer;
  /** The edge's `/health?scope=fleet`. */
  fleetUrl: string;
  shields: FleetShield[];
  close(): Promise<void>;
}

/** The shields of a fleet, checked by the service's own rules for its `shields` key, so a list the fleet accepts the canaries accept. */
export function parseShieldList(text: string): string[] {
  const parsed = parseShields(text);
  if (!parsed.ok) throw new StackConfigError(parsed.errors.join('; '));
  return parsed.shields;
}

export async function startFleet(options: FleetOptions = {}): Promise<Fleet> {
  const codes = parseShieldList((options.shields ?? DEFAULT_FLEET_SHIELDS).join(','));
  const host = options.host ?? '127.0.0.1';
  const runtime = options.runtime ?? 'wasm';
  const base = withSecrets(options.manifest ?? loadManifest(options.manifestFile ?? DEFAULT_MANIFEST), { [SECRET_FLEET_KEY]: options.fleetKey ?? randomBytes(32).toString('hex') });
  const config = { ...options.config, shields: codes.join(',') };
  let emulator: URL | null = null;
  const closers: Array<() => Promise<void>> = [];
  const closeAll = async (): Promise<void> => {
    for (const close of closers.splice(0).reverse()) await close();
  };
  try {
    const shields: FleetShield[] = [];
    const shieldSites = new Map<string, ShieldingSites>();
    for (const code of codes) {
      const path = await startShieldPath({ host, target: () => emulator });
      closers.push(() => path.close());
      const sites: ShieldingSites = { [code]: { kind: 'local' } };
      shieldSites.set(code, sites);
      const manifest: LocalManifest = { ...withOverrides(routedThrough(base, path.url), config), shieldingSites: sites };
      const canary = await startCanaryServer({
        manifest, runtime, host, port: 0, pop: code,
        ...(options.platform ? { platform: options.platform } : {}),
        ...(options.wasm === undefined ? {} : { wasm: options.wasm }),
      });
      closers.push(() => canary.close());
      shields.push({ code, canary, path });
    }
    const remote: ShieldingSites = Object.fromEntries(
      shields.map(({ code, canary }) => [code, { kind: 'remote', encrypted: `${canary.url}/`, unencrypted: `${canary.url}/` }]),
    );
    for (const [code, sites] of shieldSites) Object.assign(sites, { ...remote, [code]: sites[code] });
    const stack = await startStack({ ...options, runtime, host, manifest: { ...base, shieldingSites: remote }, config });
    closers.push(() => stack.close());
    emulator = new URL(stack.emulator.url);
    let closing: Promise<void> | undefined;
    return {
      stack,
      edge: stack.canary,
      fleetUrl: `${stack.canary.url}/health?scope=fleet`,
      shields,
      close: () => (closing ??= closeAll()),
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

/** Every backend of a shield's canary goes through its own path (which leads to the emulator). */
function routedThrough(manifest: LocalManifest, pathUrl: string): LocalManifest {
  const backends = new Map<string, BackendSpec>();
  for (const [name, backend] of manifest.backends) {
    const url = new URL(backend.url.pathname + backend.url.search, pathUrl);
    backends.set(name, { ...backend, url });
  }
  return { ...manifest, backends };
}


/**
 * A fleet in one process: one real app per POP, each on its own fake platform, where a shield
 * backend is that shield's app. So the edge's signed inner request really reaches the shield's
 * verification, and a test can break one POP's bucket or the way to it.
 */
import type { Hono } from 'hono';
import { createApp } from '../../src/app';
import type { Abandonment } from '../../src/core/abandon';
import { SECRET_FLEET_KEY } from '../../src/core/types';
import { registerSecret } from '../support/secret-scan';
import {
  baseConfig, canaryBody, canaryResponse, fakePlatform, TEST_ACCESS_ID, TEST_SECRET, type FakePlatform, type Origin,
} from '../support/fake-platform';

export const FLEET_KEY = 'fleet-key-for-tests-0123456789abcdef0123456789';
registerSecret(FLEET_KEY, { label: 'FLEET_KEY (test/fleet/fleet-world.ts)' });

export const SHIELDS = ['iad-va-us', 'bfi-wa-us'] as const;

/** What stands between the edge and a shield's app: by default the app itself. */
export type Hop = (request: Request, abandonment: Abandonment | undefined, app: Hono) => Response | Promise<Response>;

export interface PopSpec {
  /** FASTLY_POP of that POP. */
  pop: string;
  /** The shield code this POP runs on, if any (its `runningOn()` is true for it). */
  shield?: string;
  origin?: Origin;
  /** This POP's own canary_config, when it differs from the world's (a Config Store change not yet everywhere). */
  config?: Record<string, string>;
  /** This POP's own canary_secrets (a fleet_key rotation not yet everywhere). */
  secrets?: Record<string, string>;
}

export interface WorldOptions {
  edge?: PopSpec;
  shields?: Record<string, PopSpec>;
  config?: Record<string, string>;
  secrets?: Record<string, string>;
  /** Per shield code: the way to it. */
  hops?: Record<string, Hop>;
  now?: () => number;
  /** Backends every POP declares; gcs and edge by default. */
  backends?: string[];
  /** The edge's memo fails, as when SimpleCache is unavailable. */
  edgeMemoFails?: boolean;
}

export interface FleetWorld {
  edge: Hono;
  edgePlatform: FakePlatform;
  apps: Record<string, Hono>;
  platforms: Record<string, FakePlatform>;
  /** Every shield request any POP sent, in order: [from POP, to shield, request]. */
  shieldRequests: Array<{ from: string; to: string; request: Request }>;
}

export const healthyOrigin: Origin = () => canaryResponse(canaryBody(new Date()));

/** The shortest window a fleet check may have (a shorter one is misconfigured). */
export function fleetConfig(overrides: Record<string, string> = {}): Record<string, string> {
  return baseConfig({ shields: SHIELDS.join(','), result_ttl_ms: '1000', ...overrides });
}

export function fleetSecrets(overrides: Record<string, string> = {}): Record<string, string> {
  return { hmac_access_id: TEST_ACCESS_ID, hmac_secret: TEST_SECRET, [SECRET_FLEET_KEY]: FLEET_KEY, ...overrides };
}

export function fleetWorld(options: WorldOptions = {}): FleetWorld {
  const config = options.config ?? fleetConfig();
  const listed = (config.shields ?? '').split(',').map((code) => code.trim());
  const shieldSpecs = options.shields ?? {
    'iad-va-us': { pop: 'IAD', shield: 'iad-va-us' },
    'bfi-wa-us': { pop: 'BFI', shield: 'bfi-wa-us' },
  };
  const apps: Record<string, Hono> = {};
  const platforms: Record<string, FakePlatform> = {};
  const shieldRequests: FleetWorld['shieldRequests'] = [];

  const popPlatform = (spec: PopSpec, memoFails = false): FakePlatform => {
    const clock = options.now ?? Date.now;
    const fresh: Origin = () => canaryResponse(canaryBody(new Date(clock())));
    const platform = fakePlatform({ origin: spec.origin ?? fresh, config: spec.config ?? config, secrets: spec.secrets ?? options.secrets ?? fleetSecrets(), now: options.now, backends: options.backends, memoFails });
    platform.pop = () => spec.pop;
    platform.shield = (name) => (listed.includes(name) || name in shieldSpecs ? { runningOn: spec.shield === name } : null);
    platform.fetchShield = async (name, request, abandonment) => {
      shieldRequests.push({ from: spec.pop, to: name, request: request.clone() });
      const app = apps[name];
      if (!app) throw new Error(`no shield ${name} in this world`);
      const hop = options.hops?.[name] ?? ((req: Request, _a: Abandonment | undefined, target: Hono) => target.fetch(req));
      return hop(request, abandonment, app);
    };
    return platform;
  };

  for (const [code, spec] of Object.entries(shieldSpecs)) {
    platforms[code] = popPlatform(spec);
    apps[code] = createApp(platforms[code]!);
  }
  const edgePlatform = popPlatform(options.edge ?? { pop: 'LHR' }, options.edgeMemoFails);
  return { edge: createApp(edgePlatform), edgePlatform, apps, platforms, shieldRequests };
}

export const FLEET_URL = 'https://canary.example.org/health?scope=fleet';

export async function fleetJson(world: FleetWorld, init?: RequestInit): Promise<{ status: number; body: FleetBody }> {
  const response = await world.edge.fetch(new Request(FLEET_URL, init));
  return { status: response.status, body: (await response.json()) as FleetBody };
}

export interface FleetBody {
  status: string;
  reason: string;
  output: string;
  statuspage: string | null;
  action: string;
  pop: string;
  shared: boolean;
  scope?: string;
  fleet?: { shieldCount: number; failingShields: number; edge: { pop: string; status: string } | null };
  checks: Record<string, Array<Record<string, unknown>>>;
}

/**
 * What the fleet check needs beyond the POP's own settings: the shield list (each code known to the
 * runtime), the key that signs the inner request, and a backend-request budget that holds. Any
 * problem is a configuration error naming its key: without them there is no fan-out at all, never an
 * unauthenticated one.
 */
import type { Settings } from '../load-settings';
import { hideCredentials } from '../secrets';
import { SECRET_FLEET_KEY, SECRET_STORE, StoreMissingError, StoreReadError, type Platform } from '../types';
import { MIN_FLEET_KEY_LENGTH } from './inner-header';
import { parseShields, SHIELDS_KEY } from './shields-config';

/**
 * The shortest `result_ttl_ms` a fleet check may have. SimpleCache keeps whole seconds (a shorter
 * ttl is no coalescing at all), and without coalescing every fleet request asks every shield: N
 * concurrent requests cost N × shields billed hops, an amplifier anyone can pull.
 */
export const MIN_FLEET_RESULT_TTL_MS = 1000;

/** Compute allows 32 backend requests per request (DESIGN.md §9). */
export const BACKEND_REQUESTS_PER_REQUEST = 32;

export interface FleetShield {
  code: string;
  /** This POP runs on (or for) that shield: its own check stands for it, nothing is sent. */
  runningOn: boolean;
}

export interface FleetSettings {
  shields: FleetShield[];
  key: string;
}

export type FleetLoaded = { ok: true; fleet: FleetSettings } | { ok: false; errors: string[] };

/** `settings` is null when the POP's own configuration failed: the shield list and key are still checked. */
export async function loadFleetSettings(platform: Platform, settings: Settings | null): Promise<FleetLoaded> {
  const errors: string[] = [];
  const shields = readShields(platform, errors);
  const key = await readFleetKey(platform, errors);
  if (shields !== null && settings !== null) checkBudget(shields.length, settings, errors);
  if (settings !== null) checkWindow(settings, errors);
  if (errors.length > 0 || shields === null || key === null) {
    return { ok: false, errors: errors.map((error) => hideCredentials(error, key === null ? [] : [key])) };
  }
  return { ok: true, fleet: { shields, key } };
}

/** The codes of `shields`, each resolved; null when the key is unusable. A config store read failure is reported, not thrown. */
export function readShields(platform: Platform, errors: string[]): FleetShield[] | null {
  let value: string | null;
  try {
    value = platform.configStore()?.get(SHIELDS_KEY) ?? null;
  } catch (error) {
    if (!(error instanceof StoreReadError)) throw error;
    errors.push(error.message);
    return null;
  }
  const parsed = parseShields(value);
  if (!parsed.ok) {
    errors.push(...parsed.errors);
    return null;
  }
  const resolved: FleetShield[] = [];
  parsed.shields.forEach((code, index) => {
    const site = platform.shield(code);
    if (site === null) errors.push(`${SHIELDS_KEY}: entry ${index + 1} "${code}" is not a shield this runtime knows (Fastly's shield codes: fastly pops, or docs/fleet.md; locally: [local_server.shielding_sites])`);
    else resolved.push({ code, runningOn: site.runningOn });
  });
  return resolved.length === parsed.shields.length ? resolved : null;
}

/** The fleet key, used byte for byte like the other secrets; null (with the reason in errors) when unusable. */
export async function readFleetKey(platform: Platform, errors: string[]): Promise<string | null> {
  let key: string | null;
  try {
    key = await platform.readSecret(SECRET_FLEET_KEY);
  } catch (error) {
    if (error instanceof StoreMissingError) errors.push(`secret store ${SECRET_STORE}: not found (link it to this service)`);
    else if (error instanceof StoreReadError) errors.push(error.message);
    else throw error;
    return null;
  }
  if (key === null) {
    errors.push(`${SECRET_FLEET_KEY}: missing from secret store ${SECRET_STORE}; the fleet check signs its requests to the shields with it (create one: openssl rand -hex 32)`);
    return null;
  }
  if (key.length < MIN_FLEET_KEY_LENGTH) {
    errors.push(`${SECRET_FLEET_KEY}: ${key.length} characters in secret store ${SECRET_STORE}, at least ${MIN_FLEET_KEY_LENGTH} needed (create one: openssl rand -hex 32)`);
    return null;
  }
  return key;
}

function checkWindow(settings: Settings, errors: string[]): void {
  const ttl = settings.config.resultTtlMs;
  if (ttl >= MIN_FLEET_RESULT_TTL_MS) return;
  errors.push(`result_ttl_ms: ${ttl} ms, and scope=fleet needs at least ${MIN_FLEET_RESULT_TTL_MS}: the fleet check is shared by every request at this POP for result_ttl_ms, so a shorter window (SimpleCache keeps whole seconds) would ask every shield for every request; set result_ttl_ms to 1000 or more (the plain /health may keep any value)`);
}

/** The local check's worst case (every target, every attempt) plus one request per shield. */
function checkBudget(shieldCount: number, settings: Settings, errors: string[]): void {
  const targets = settings.config.origins.length + (settings.config.edgeUrl ? 1 : 0);
  const local = targets * settings.config.attempts;
  if (local + shieldCount <= BACKEND_REQUESTS_PER_REQUEST) return;
  errors.push(`${SHIELDS_KEY}: ${shieldCount} shields plus up to ${local} backend requests of this POP's own check (${targets} targets × attempts ${settings.config.attempts}) make ${local + shieldCount}, and Compute allows ${BACKEND_REQUESTS_PER_REQUEST} per request: list at most ${BACKEND_REQUESTS_PER_REQUEST - local} shields, or lower attempts`);
}

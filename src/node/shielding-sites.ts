/**
 * The shield POPs the Node host knows, as `[local_server.shielding_sites]` declares them for
 * Viceroy: a name is either the POP this process pretends to run on (`"Local"`) or a remote
 * canary reached over its `encrypted` URL.
 */
import { BackendError, type ShieldSite } from '../core/types';
import type { BackendSpec } from './manifest';

export type ShieldingSite = { kind: 'local' } | { kind: 'remote'; encrypted: string; unencrypted: string };
export type ShieldingSites = Record<string, ShieldingSite>;

/** The site a name stands for; only the sites' own names (never `toString` or `__proto__`). */
export function siteNamed(sites: ShieldingSites, name: string): ShieldingSite | undefined {
  return Object.hasOwn(sites, name) ? sites[name] : undefined;
}

/** `new Shield(name)` on the Node host: null for a name the sites do not list, as Viceroy throws. */
export function shieldSiteOf(sites: ShieldingSites, name: string): ShieldSite | null {
  const site = siteNamed(sites, name);
  return site === undefined ? null : { runningOn: site.kind === 'local' };
}

/**
 * The backend `Shield.encryptedBackend()` stands for: connect to the site's `encrypted` URL, keep
 * the request's path and query (after any path prefix of that URL) and its Host, as Viceroy's
 * shield backend does (it sets no override_host and no SNI): the shield is this same service. Throws a
 * connect failure for an unknown or local site, which has no backend to send to.
 */
export function shieldBackendOf(sites: ShieldingSites, name: string): BackendSpec {
  const site = siteNamed(sites, name);
  if (site === undefined) throw new BackendError('connect_failed', `shield ${name} is not in local_server.shielding_sites`);
  if (site.kind === 'local') throw new BackendError('connect_failed', `shield ${name} is the local site: it has no backend to send to`);
  const url = new URL(site.encrypted);
  return { name: `shield ${name}`, url, overrideHost: null, certHost: null, useSni: false };
}

/**
 * `[local_server.shielding_sites]`, read the way Viceroy reads it (src/shielding_site.rs): each
 * shield code maps to either `"Local"` (any case: the POP this process pretends to be) or a
 * table of exactly two URLs, `encrypted` and `unencrypted`. Anything else is an error naming the
 * site, where Viceroy refuses to start too.
 */

import { ManifestError, describeType, isTable } from './manifest-error';
import type { ManifestSource, Table } from './manifest-error';
import type { ShieldingSite, ShieldingSites } from './shielding-sites';

const SECTION = 'local_server.shielding_sites';
const SITE_FORMS = '"Local" (this POP) or a table { encrypted = "URL", unencrypted = "URL" }';

export function parseShieldingSites(source: ManifestSource, section: unknown): ShieldingSites {
  const sites: ShieldingSites = {};
  if (section === undefined) return sites;
  if (!isTable(section)) throw new ManifestError(source.file, `${SECTION} must be a table, got ${describeType(section)}`);
  for (const [name, value] of Object.entries(section)) {
    // Own, plain-data properties only: a site named "__proto__" must stay a site.
    Object.defineProperty(sites, name, { value: parseSite(source, name, value), enumerable: true, writable: true, configurable: true });
  }
  return sites;
}

function parseSite(source: ManifestSource, name: string, value: unknown): ShieldingSite {
  const key = `${SECTION}.${name}`;
  // A problem of one field starts with ".field"; any other is a sentence about the site.
  const fail = (problem: string): never => {
    throw new ManifestError(source.file, `${key}${problem.startsWith('.') ? '' : ' '}${problem}`);
  };
  if (typeof value === 'string') {
    // Viceroy compares the lowercased string with "local".
    if (value.toLowerCase() === 'local') return { kind: 'local' };
    return fail(`is the string "${value}", but the only string a site may be is "Local"; otherwise give ${SITE_FORMS}`);
  }
  if (!isTable(value)) return fail(`must be ${SITE_FORMS}, got ${describeType(value)}`);
  const keys = Object.keys(value);
  const extra = keys.filter((k) => k !== 'encrypted' && k !== 'unencrypted');
  if (extra.length > 0) return fail(`has ${plural(extra)} ${extra.join(', ')}: a site table has exactly two keys, encrypted and unencrypted`);
  return {
    kind: 'remote',
    encrypted: siteUrl(value, 'encrypted', fail),
    unencrypted: siteUrl(value, 'unencrypted', fail),
  };
}

/**
 * One of the two URLs, as Viceroy's `Url::parse` would accept it and `Url::to_string` writes it
 * (WHATWG: `http://127.0.0.1:7677` becomes `http://127.0.0.1:7677/`). Like Viceroy, any scheme
 * is accepted: the encrypted URL may well be plain http locally.
 */
function siteUrl(table: Table, field: 'encrypted' | 'unencrypted', fail: (problem: string) => never): string {
  const value = table[field];
  if (value === undefined) return fail(`has no ${field} URL: a site table has exactly two keys, encrypted and unencrypted`);
  if (typeof value !== 'string') return fail(`.${field} must be a URL string, got ${describeType(value)}`);
  if (!URL.canParse(value)) return fail(`.${field} "${value}" is not a URL (write it whole, e.g. "http://127.0.0.1:7677")`);
  return new URL(value).href;
}

function plural(keys: string[]): string {
  return keys.length === 1 ? 'an unknown key' : 'unknown keys';
}

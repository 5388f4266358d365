/**
 * `[local_server.shielding_sites]` as Viceroy reads it (src/shielding_site.rs): "Local" in any
 * case, or a table with exactly `encrypted` and `unencrypted` URLs; every other form is an error
 * naming the site (Viceroy's four: illegal string, illegal value, illegal table, illegal URL).
 */
import { describe, expect, it } from 'vitest';
import { ManifestError, parseManifest } from '../../src/node/manifest';

const parse = (toml: string) => parseManifest(toml, { file: 'sites.toml', dir: process.cwd() });

function problemOf(toml: string): string {
  try {
    parse(toml);
  } catch (error) {
    if (error instanceof ManifestError) return error.message;
    throw error;
  }
  throw new Error('the manifest was accepted');
}

describe('valid shielding sites', () => {
  it('reads "Local" in any case and remote sites in both TOML spellings, URLs as Viceroy writes them', () => {
    const manifest = parse(`
[local_server.shielding_sites]
"pdx-or-us" = "Local"
"iad-va-us" = "LOCAL"
"bfi-wa-us".encrypted = "http://127.0.0.1:7677"
"bfi-wa-us".unencrypted = "http://127.0.0.1:7678/base"
[local_server.shielding_sites.lhr-uk]
encrypted = "https://lhr.example"
unencrypted = "http://lhr.example"
`);
    expect(manifest.shieldingSites).toEqual({
      'pdx-or-us': { kind: 'local' },
      'iad-va-us': { kind: 'local' },
      'bfi-wa-us': { kind: 'remote', encrypted: 'http://127.0.0.1:7677/', unencrypted: 'http://127.0.0.1:7678/base' },
      'lhr-uk': { kind: 'remote', encrypted: 'https://lhr.example/', unencrypted: 'http://lhr.example/' },
    });
  });

  it('knows no sites without the section, and keeps a site named like an Object property as a site', () => {
    expect(parse('').shieldingSites).toEqual({});
    const sites = parse('[local_server.shielding_sites]\n"__proto__" = "Local"\n').shieldingSites ?? {};
    expect(Object.hasOwn(sites, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(sites)).toBe(Object.prototype);
  });
});

describe('invalid shielding sites name the site and say what to write', () => {
  it('a string other than "Local" (Viceroy: IllegalSiteString)', () => {
    expect(problemOf('[local_server.shielding_sites]\n"bfi-wa-us" = "remote"\n')).toBe(
      'sites.toml: local_server.shielding_sites.bfi-wa-us is the string "remote", but the only string a site may be is "Local"; otherwise give "Local" (this POP) or a table { encrypted = "URL", unencrypted = "URL" }',
    );
  });

  it('a value that is neither a string nor a table (Viceroy: IllegalSiteValue)', () => {
    expect(problemOf('[local_server.shielding_sites]\n"bfi-wa-us" = 7677\n')).toBe(
      'sites.toml: local_server.shielding_sites.bfi-wa-us must be "Local" (this POP) or a table { encrypted = "URL", unencrypted = "URL" }, got an integer',
    );
    expect(problemOf('[local_server.shielding_sites]\n"bfi-wa-us" = ["http://a", "http://b"]\n')).toMatch(/bfi-wa-us must be .* got an array$/);
  });

  it('a table without exactly encrypted and unencrypted (Viceroy: IllegalSiteDefinition)', () => {
    const site = (body: string) => problemOf(`[local_server.shielding_sites.bfi-wa-us]\n${body}\n`);
    expect(site('encrypted = "http://a"')).toBe(
      'sites.toml: local_server.shielding_sites.bfi-wa-us has no unencrypted URL: a site table has exactly two keys, encrypted and unencrypted',
    );
    expect(site('unencrypted = "http://a"')).toMatch(/bfi-wa-us has no encrypted URL/);
    expect(site('encrypted = "http://a"\nunencrypted = "http://b"\nfirst_byte_timeout = 5')).toBe(
      'sites.toml: local_server.shielding_sites.bfi-wa-us has an unknown key first_byte_timeout: a site table has exactly two keys, encrypted and unencrypted',
    );
    expect(site('Encrypted = "http://a"\nunencrypted = "http://b"')).toMatch(/bfi-wa-us has an unknown key Encrypted/);
    expect(site('encrypted = 1\nunencrypted = "http://b"')).toBe(
      'sites.toml: local_server.shielding_sites.bfi-wa-us.encrypted must be a URL string, got an integer',
    );
    expect(problemOf('[local_server.shielding_sites]\n"bfi-wa-us" = {}\n')).toMatch(/bfi-wa-us has no encrypted URL/);
  });

  it('a URL that does not parse names the field that holds it (Viceroy: IllegalUrl)', () => {
    expect(problemOf('[local_server.shielding_sites.bfi-wa-us]\nencrypted = "http://a"\nunencrypted = "127.0.0.1:7678"\n')).toBe(
      'sites.toml: local_server.shielding_sites.bfi-wa-us.unencrypted "127.0.0.1:7678" is not a URL (write it whole, e.g. "http://127.0.0.1:7677")',
    );
    expect(problemOf('[local_server.shielding_sites.bfi-wa-us]\nencrypted = "http://"\nunencrypted = "http://b"\n')).toMatch(
      /bfi-wa-us\.encrypted "http:\/\/" is not a URL/,
    );
  });

  it('a section that is not a table', () => {
    expect(problemOf('[local_server]\nshielding_sites = "Local"\n')).toBe('sites.toml: local_server.shielding_sites must be a table, got a string');
  });
});

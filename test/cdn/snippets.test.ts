import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CANARY_PATH, isCanaryPath, routeForPath } from '../../snippets/compute/edge-canary-rule';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);

/** The VCL without its comments: what Fastly would compile. */
async function vclCode(name: string): Promise<string> {
  const text = await readFile(join(ROOT, 'snippets/vcl', name), 'utf8');
  return text.split('\n').filter((line) => !line.trim().startsWith('#')).join('\n');
}

/** The body of the `if (req.http.Edge-Canary) { ... }` block (or of the path test in recv). */
function canaryBlock(code: string, condition: string): string {
  const start = code.indexOf(`if (${condition}) {`);
  expect(start, `no "if (${condition})" block`).toBeGreaterThanOrEqual(0);
  let depth = 0;
  for (let i = code.indexOf('{', start); i < code.length; i++) {
    if (code[i] === '{') depth++;
    if (code[i] === '}' && --depth === 0) return code.slice(code.indexOf('{', start) + 1, i);
  }
  throw new Error(`unbalanced braces after "if (${condition})"`);
}

// A real VCL compiler is not available offline (Fastly compiles VCL only on activation), so these
// tests check the snippet text for the rules docs/production-rules.md promises.
describe('VCL snippets (text checks; no VCL compiler is available locally)', () => {
  it('recv: the canary path is matched after decoding and passed, and clients cannot set the marker', async () => {
    const code = await vclCode('edge-canary-recv.vcl');
    const block = canaryBlock(code, `urldecode(req.url.path) == "${DEFAULT_CANARY_PATH}"`);
    expect(block).toMatch(/set req\.http\.Edge-Canary = "1";/);
    expect(block).toMatch(/return\(pass\);/);
    expect(code.indexOf('unset req.http.Edge-Canary;')).toBeLessThan(code.indexOf('set req.http.Edge-Canary = "1"'));
    expect(code.indexOf('unset req.http.Edge-Canary;')).toBeGreaterThanOrEqual(0);
  });

  it('fetch: the canary is never stored, not even for grace or stale-if-error', async () => {
    const block = canaryBlock(await vclCode('edge-canary-fetch.vcl'), 'req.http.Edge-Canary');
    for (const rule of ['set beresp.ttl = 0s;', 'set beresp.grace = 0s;', 'set beresp.stale_if_error = 0s;', 'set beresp.cacheable = false;', 'return(pass);']) {
      expect(block).toContain(rule);
    }
  });

  it.each(['edge-canary-deliver.vcl', 'edge-canary-error.vcl'])('%s: returns before any restart logic and exposes a restart', async (name) => {
    const block = canaryBlock(await vclCode(name), 'req.http.Edge-Canary');
    expect(block.trim().endsWith('return(deliver);')).toBe(true);
    expect(block).toMatch(/if \(req\.restarts > 0\) \{\s*set (resp|obj)\.http\.Fastly-Restarts = req\.restarts;/);
  });

  it.each(['edge-canary-recv.vcl', 'edge-canary-fetch.vcl', 'edge-canary-deliver.vcl', 'edge-canary-error.vcl'])(
    '%s: never restarts, never fakes Age or X-Cache, braces balance',
    async (name) => {
      const code = await vclCode(name);
      expect(code).not.toMatch(/\brestart\s*;/);
      expect(code).not.toMatch(/(set|unset) (resp|obj|beresp)\.http\.(Age|X-Cache)\b/i);
      expect(code.split('{').length).toBe(code.split('}').length);
    },
  );
});

describe('Compute rule (snippets/compute/edge-canary-rule.ts, the code the local CDN runs)', () => {
  it.each([
    { path: '/edge-canary/canary.json', canary: true },
    { path: '/edge-canary/canary%2Ejson', canary: true },
    { path: '/edge-canary%2Fcanary.json', canary: true },
    { path: '/edge-canary/canary.json/', canary: false },
    { path: '/Edge-Canary/canary.json', canary: false },
    { path: '/packages/example-1.0.tar.gz', canary: false },
    { path: '/edge-canary/%E0%A4%A', canary: false },
  ])('$path -> canary: $canary', ({ path, canary }) => {
    expect(routeForPath(path)).toEqual(canary ? { canary: true, cache: 'pass', fallback: false } : { canary: false, cache: 'default', fallback: true });
  });

  it('takes a configured canary path with or without the leading slash', () => {
    expect(isCanaryPath('/health/probe.json', 'health/probe.json')).toBe(true);
    expect(isCanaryPath('/health/probe.json', '/health/probe.json')).toBe(true);
    expect(isCanaryPath(DEFAULT_CANARY_PATH, 'health/probe.json')).toBe(false);
  });

  it('the production-service example uses CacheOverride("pass") and no fallback for the canary, and type-checks against @fastly/js-compute', async () => {
    const text = await readFile(join(ROOT, 'snippets/compute/production-service.ts'), 'utf8');
    expect(text).toContain("route.cache === 'pass' ? new CacheOverride('pass')");
    expect(text).toContain('if (!failed || !route.fallback) return primary;');
    const dir = await mkdtemp(join(tmpdir(), 'edge-canary-snippets-'));
    try {
      const config = join(dir, 'tsconfig.json');
      await writeFile(config, JSON.stringify({
        extends: join(ROOT, 'tsconfig.json'),
        compilerOptions: { lib: ['ES2022'], types: ['@fastly/js-compute'], typeRoots: [join(ROOT, 'node_modules/@types'), join(ROOT, 'node_modules')] },
        include: [join(ROOT, 'snippets/compute')],
      }));
      await expect(run(join(ROOT, 'node_modules/.bin/tsc'), ['--noEmit', '-p', config], { cwd: ROOT, timeout: 60_000 })).resolves.toBeDefined();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

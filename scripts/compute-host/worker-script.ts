/**
 * The guest worker's code as one plain ES module. Worker threads inherit no TypeScript loader,
 * and loading the worker through tsx costs about a second of CPU per worker; bundling it once per
 * process with esbuild takes tens of milliseconds and starts each worker several times faster.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const SOURCE = fileURLToPath(new URL('./guest/worker.ts', import.meta.url));
const FALLBACK = new URL('./guest/worker-entry.mjs', import.meta.url);
let bundled: Promise<URL> | null = null;

export function guestWorkerScript(): Promise<URL> {
  bundled ??= bundle().catch(() => FALLBACK);
  return bundled;
}

async function bundle(): Promise<URL> {
  const { build } = await import('esbuild');
  const outfile = join(mkdtempSync(join(tmpdir(), 'edge-canary-compute-host-')), 'guest-worker.mjs');
  await build({ entryPoints: [SOURCE], bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile, logLevel: 'silent' });
  return pathToFileURL(outfile);
}

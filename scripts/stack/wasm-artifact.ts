/**
 * `bin/main.wasm`, the artifact that ships: built with js-compute-runtime when it is missing or
 * older than any file in src/ that can be in it (all but src/node/, the Node host, which the
 * Compute build never imports) or than package-lock.json (a new compiler is a new artifact), so
 * the local runtimes never serve a module that lags the source.
 * The build writes a temporary file and renames it, so a reader never sees half a module.
 */
import { execFile } from 'node:child_process';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const DEFAULT_WASM = join(REPO_ROOT, 'bin', 'main.wasm');
const SOURCE_DIR = join(REPO_ROOT, 'src');
/** DESIGN.md §1: only the Node host lives here; src/index.ts never reaches it. */
const NODE_HOST_DIR = join(SOURCE_DIR, 'node');
const LOCKFILE = join(REPO_ROOT, 'package-lock.json');
const COMPILER = join(REPO_ROOT, 'node_modules', '@fastly', 'js-compute', 'dist', 'cli', 'js-compute-runtime-cli.js');
const BUILD_TIMEOUT_MS = 300_000;

export class WasmBuildError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'WasmBuildError';
  }
}

export interface WasmArtifact {
  path: string;
  /** Why it was rebuilt (`missing`, `older than src/app.ts`), or null when it was up to date. */
  rebuiltBecause: string | null;
  buildSeconds: number;
}

/** The newest file under `dir`, recursively, leaving out what is under `skip`. */
async function newestFile(dir: string, skip: string): Promise<{ file: string; mtimeMs: number }> {
  let newest = { file: dir, mtimeMs: 0 };
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || entry.parentPath === skip || entry.parentPath.startsWith(`${skip}/`)) continue;
    const file = join(entry.parentPath, entry.name);
    const { mtimeMs } = await stat(file);
    if (mtimeMs > newest.mtimeMs) newest = { file, mtimeMs };
  }
  return newest;
}

/** Null when `wasm` is newer than every source file; otherwise what makes it stale. */
export async function staleReason(wasm: string = DEFAULT_WASM): Promise<string | null> {
  const built = await stat(wasm).catch(() => null);
  if (built === null) return 'missing';
  let newest = await newestFile(SOURCE_DIR, NODE_HOST_DIR);
  const lock = await stat(LOCKFILE).catch(() => null);
  if (lock !== null && lock.mtimeMs > newest.mtimeMs) newest = { file: LOCKFILE, mtimeMs: lock.mtimeMs };
  return newest.mtimeMs > built.mtimeMs ? `older than ${newest.file.slice(REPO_ROOT.length)}` : null;
}

/** Compiles `input` (default the Compute entry, src/index.ts) into `out`, about 10 s; returns the seconds it took. A failure says what the compiler said. */
export async function buildWasm(out: string = DEFAULT_WASM, input = 'src/index.ts'): Promise<number> {
  const partial = `${out}.${process.pid}.partial`;
  const started = performance.now();
  try {
    await mkdir(dirname(out), { recursive: true });
    await run(process.execPath, [COMPILER, input, partial], { cwd: REPO_ROOT, timeout: BUILD_TIMEOUT_MS });
    await rename(partial, out);
  } catch (error) {
    await rm(partial, { force: true });
    const detail = error instanceof Error && 'stderr' in error ? String(error.stderr).trim() : String(error);
    throw new WasmBuildError(`building ${out} from ${input} with js-compute-runtime failed: ${detail.split('\n').slice(-5).join(' | ')}`, { cause: error });
  }
  return (performance.now() - started) / 1000;
}

/** The default artifact, rebuilt first when stale. */
export async function ensureWasm(log: (line: string) => void = () => undefined): Promise<WasmArtifact> {
  const reason = await staleReason(DEFAULT_WASM);
  if (reason === null) return { path: DEFAULT_WASM, rebuiltBecause: null, buildSeconds: 0 };
  log(`building bin/main.wasm (${reason}) with js-compute-runtime, about 10 s`);
  const buildSeconds = await buildWasm(DEFAULT_WASM);
  return { path: DEFAULT_WASM, rebuiltBecause: reason, buildSeconds };
}

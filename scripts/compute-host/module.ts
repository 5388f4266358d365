/** Loading the compiled Compute module once per host: one clear error when it is missing or wrong. */
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { setFlagsFromString } from 'node:v8';

export class WasmModuleError extends Error {
  override name = 'WasmModuleError';
}

const compiled = new Map<string, Promise<WebAssembly.Module>>();

/** Compiled once per process per file version: suites start many hosts on the same 12 MB module. */
export async function loadComputeModule(wasm: string | Uint8Array): Promise<WebAssembly.Module> {
  if (typeof wasm !== 'string') return compileComputeModule(wasm);
  const version = statSync(wasm, { throwIfNoEntry: false });
  if (version === undefined) return compileComputeModule(wasm);
  const key = `${resolve(wasm)}:${version.mtimeMs}:${version.size}`;
  let module = compiled.get(key);
  if (module === undefined) {
    module = compileComputeModule(wasm);
    compiled.set(key, module);
    module.catch(() => compiled.delete(key));
  }
  return module;
}

async function compileComputeModule(wasm: string | Uint8Array): Promise<WebAssembly.Module> {
  const where = typeof wasm === 'string' ? wasm : 'the given module bytes';
  let bytes: Uint8Array;
  if (typeof wasm === 'string') {
    try {
      bytes = readFileSync(wasm);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const problem = code === 'ENOENT' ? 'does not exist (build it with `npm run build`)' : `cannot be read (${code ?? String(error)})`;
      throw new WasmModuleError(`Compute module ${where} ${problem}`, { cause: error });
    }
  } else {
    bytes = wasm;
  }
  let module: WebAssembly.Module;
  try {
    module = await compileEagerly(bytes);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new WasmModuleError(`Compute module ${where} is not a valid WebAssembly module (${reason}); rebuild it with \`npm run build\``, { cause: error });
  }
  const exports = new Map(WebAssembly.Module.exports(module).map((entry) => [entry.name, entry.kind]));
  if (exports.get('_start') !== 'function' || exports.get('memory') !== 'memory') {
    throw new WasmModuleError(`Compute module ${where} is not a Compute program: it must export _start and memory (a WASI command)`);
  }
  return module;
}

/**
 * Compiles every function up front (about a second, once per process) instead of on first call:
 * lazily, each new sandbox paid for the code it touched first, and concurrent first requests
 * compiled the same functions side by side, adding hundreds of milliseconds to their deadlines.
 */
async function compileEagerly(bytes: Uint8Array): Promise<WebAssembly.Module> {
  setFlagsFromString('--no-wasm-lazy-compilation');
  try {
    return await WebAssembly.compile(Uint8Array.from(bytes));
  } finally {
    setFlagsFromString('--wasm-lazy-compilation');
  }
}

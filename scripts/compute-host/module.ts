/** Loading the compiled Compute module once per host: one clear error when it is missing or wrong. */
import { readFileSync } from 'node:fs';

export class WasmModuleError extends Error {
  override name = 'WasmModuleError';
}

export async function loadComputeModule(wasm: string | Uint8Array): Promise<WebAssembly.Module> {
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
    module = await WebAssembly.compile(Uint8Array.from(bytes));
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

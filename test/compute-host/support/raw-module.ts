/**
 * Hand-assembled WebAssembly modules for the host's raw-ABI cases (a trap, a spin, an import the
 * host does not know), small enough to read as bytes: no wat compiler needed.
 */

export interface RawImport {
  module: string;
  name: string;
  params: number;
  results: number;
}

export interface RawModuleSpec {
  imports?: RawImport[];
  /** The body of _start (instructions only, without locals or the final `end`). */
  start: number[];
  exportStart?: boolean;
  exportMemory?: boolean;
}

const I32 = 0x7f;
export const OP = { unreachable: 0x00, loop: 0x03, br: 0x0c, brIf: 0x0d, if: 0x04, end: 0x0b, call: 0x10, drop: 0x1a, i32Const: 0x41, i32Ne: 0x47, void: 0x40 } as const;

function leb(value: number): number[] {
  const bytes: number[] = [];
  let rest = value >>> 0;
  do {
    const byte = rest & 0x7f;
    rest >>>= 7;
    bytes.push(rest === 0 ? byte : byte | 0x80);
  } while (rest !== 0);
  return bytes;
}

/** A signed LEB128 i32, for i32.const. */
export function sleb(value: number): number[] {
  const bytes: number[] = [];
  let rest = value | 0;
  for (;;) {
    const byte = rest & 0x7f;
    rest >>= 7;
    const done = (rest === 0 && (byte & 0x40) === 0) || (rest === -1 && (byte & 0x40) !== 0);
    bytes.push(done ? byte : byte | 0x80);
    if (done) return bytes;
  }
}

const name = (text: string) => [...leb(text.length), ...new TextEncoder().encode(text)];
const vec = (items: number[][]) => [...leb(items.length), ...items.flat()];
const section = (id: number, content: number[]) => [id, ...leb(content.length), ...content];

export function rawModule(spec: RawModuleSpec): Uint8Array {
  const imports = spec.imports ?? [];
  const types = [[0x60, 0, 0], ...imports.map((i) => [0x60, ...vec(Array.from({ length: i.params }, () => [I32])), ...vec(Array.from({ length: i.results }, () => [I32]))])];
  const importEntries = imports.map((i, index) => [...name(i.module), ...name(i.name), 0x00, ...leb(index + 1)]);
  const startIndex = imports.length;
  const exports: number[][] = [];
  if (spec.exportMemory ?? true) exports.push([...name('memory'), 0x02, 0]);
  if (spec.exportStart ?? true) exports.push([...name('_start'), 0x00, ...leb(startIndex)]);
  const body = [0x00, ...spec.start, OP.end];
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(types)),
    ...section(2, vec(importEntries)),
    ...section(3, vec([[0]])),
    ...section(5, vec([[0x00, 1]])),
    ...section(7, vec(exports)),
    ...section(10, vec([[...leb(body.length), ...body]])),
  ]);
}

/** Request and response heads as the guest builds them: ordered headers with byte values. */
import type { HeaderPairs } from '../protocol';

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const latin1 = new TextDecoder('latin1');

export function isHeaderName(name: string): boolean {
  return TOKEN.test(name);
}

/** A header value may hold any byte but CR, LF and NUL (the http crate's rule). */
export function isHeaderValue(value: Uint8Array): boolean {
  return !value.some((byte) => byte === 0x0d || byte === 0x0a || byte === 0x00);
}

export class HeaderList {
  private pairs: [string, Uint8Array][] = [];

  static from(pairs: HeaderPairs): HeaderList {
    const list = new HeaderList();
    for (const [name, value] of pairs) list.pairs.push([name.toLowerCase(), value]);
    return list;
  }

  /** Distinct names, in order of first appearance. */
  names(): string[] {
    return [...new Set(this.pairs.map(([name]) => name))];
  }

  values(name: string): Uint8Array[] {
    const key = name.toLowerCase();
    return this.pairs.filter(([n]) => n === key).map(([, value]) => value);
  }

  has(name: string): boolean {
    return this.values(name).length > 0;
  }

  text(name: string): string | null {
    const first = this.values(name)[0];
    return first === undefined ? null : latin1.decode(first);
  }

  insert(name: string, value: Uint8Array): void {
    this.remove(name);
    this.append(name, value);
  }

  append(name: string, value: Uint8Array): void {
    this.pairs.push([name.toLowerCase(), value]);
  }

  /** Replaces every value of `name` with `values`, keeping the header's position. */
  set(name: string, values: Uint8Array[]): void {
    this.remove(name);
    for (const value of values) this.append(name, value);
  }

  remove(name: string): boolean {
    const key = name.toLowerCase();
    const before = this.pairs.length;
    this.pairs = this.pairs.filter(([n]) => n !== key);
    return this.pairs.length !== before;
  }

  toPairs(): HeaderPairs {
    return this.pairs.map(([name, value]) => [name, value]);
  }
}

/** witx http_version: 0 = HTTP/0.9, 1 = 1.0, 2 = 1.1, 3 = 2, 4 = 3. */
export const HTTP_1_1 = 2;

export interface RequestHead {
  method: string;
  uri: string;
  headers: HeaderList;
  version: number;
  /** cache_override tag bits; PASS is bit 0. */
  cacheOverride: number;
  autoDecompressGzip: boolean;
}

export interface ResponseHead {
  status: number;
  headers: HeaderList;
  version: number;
}

export function newRequestHead(): RequestHead {
  return { method: 'GET', uri: '/', headers: new HeaderList(), version: HTTP_1_1, cacheOverride: 0, autoDecompressGzip: false };
}

export function newResponseHead(): ResponseHead {
  return { status: 200, headers: new HeaderList(), version: HTTP_1_1 };
}

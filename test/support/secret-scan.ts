/**
 * The secret scanner of the test suite: a registry of credentials that must never appear in a
 * response, a header or a log line, and the record of every sighting. The hooks that feed it are
 * in secret-scan-hooks.ts, installed for every test file by setup-secret-scan.ts.
 *
 * State lives on globalThis: vitest re-evaluates this module for each test file, but the prototype
 * hooks are installed once per worker and must keep reporting into the state the tests read.
 */
import { expect } from 'vitest';

/** `secret`: never anywhere. `access-id`: never, except where the key's owner lists its keys (the emulator's control API). */
export type CredentialKind = 'secret' | 'access-id';

export interface SecretHit {
  /** Which credential, by label; never the value. */
  label: string;
  kind: CredentialKind;
  /** Where it was seen, e.g. `response body GET /health`, `process.stderr.write`. */
  channel: string;
  test: string | null;
}

export interface ScanContext {
  /** True for the emulator's control API, which lists full access ids by design. */
  accessIdsAllowed?: boolean;
}

interface Registered {
  label: string;
  kind: CredentialKind;
  /** The value and the encodings it would take in a URL or a JSON string. */
  forms: string[];
}

interface ScanState {
  registry: Map<string, Registered>;
  hits: SecretHit[];
  installed: boolean;
}

const STATE_KEY = Symbol.for('edge-canary.secret-scan');
/** Shorter values would match ordinary text; credentials this short are not worth protecting in tests. */
export const MIN_SECRET_LENGTH = 8;

export class SecretLeakError extends Error {
  readonly hits: SecretHit[];
  constructor(hits: SecretHit[]) {
    super(`secret scan: ${hits.length} credential sighting(s):\n${hits.map(describeHit).join('\n')}`);
    this.name = 'SecretLeakError';
    this.hits = hits;
  }
}

export function scanState(): ScanState {
  const holder = globalThis as typeof globalThis & { [STATE_KEY]?: ScanState };
  holder[STATE_KEY] ??= { registry: new Map(), hits: [], installed: false };
  return holder[STATE_KEY];
}

/** Adds a credential to look for; `label` names it in failure messages instead of its value. */
export function registerSecret(value: string, options: { kind?: CredentialKind; label?: string } = {}): void {
  if (value.length < MIN_SECRET_LENGTH) {
    throw new RangeError(`registerSecret: values shorter than ${MIN_SECRET_LENGTH} characters would match ordinary text`);
  }
  const kind = options.kind ?? 'secret';
  const label = options.label ?? `${kind} ${mask(value)}`;
  const forms = [...new Set([value, encodeURIComponent(value), JSON.stringify(value).slice(1, -1)])];
  const existing = scanState().registry.get(value);
  // A value registered as both keeps the stricter kind.
  if (existing?.kind === 'secret') return;
  scanState().registry.set(value, { label, kind, forms });
}

/** The credentials found in a text, as labels; nothing is recorded. */
export function findSecrets(text: string, context: ScanContext = {}): Array<{ label: string; kind: CredentialKind }> {
  const found: Array<{ label: string; kind: CredentialKind }> = [];
  if (text.length < MIN_SECRET_LENGTH) return found;
  for (const entry of scanState().registry.values()) {
    if (entry.kind === 'access-id' && context.accessIdsAllowed) continue;
    if (entry.forms.some((form) => text.includes(form))) found.push({ label: entry.label, kind: entry.kind });
  }
  return found;
}

/** Records every credential found in `text` as seen on `channel`, and returns the sightings. */
export function noteSightings(text: string, channel: string, context: ScanContext = {}): SecretHit[] {
  return recordSightings(findSecrets(text, context), channel);
}

export function recordSightings(found: ReadonlyArray<{ label: string; kind: CredentialKind }>, channel: string): SecretHit[] {
  const hits = found.map((credential) => ({ ...credential, channel, test: currentTestName() }));
  scanState().hits.push(...hits);
  return hits;
}

/** For output the hooks cannot see (a child process's stdout): throws when a credential is in it. */
export function assertNoSecrets(text: string, where: string, context: ScanContext = {}): void {
  const hits = findSecrets(text, context).map((found) => ({ ...found, channel: where, test: currentTestName() }));
  if (hits.length > 0) throw new SecretLeakError(hits);
}

/** Returns and forgets the sightings so far (the setup file fails the test when any are left). */
export function takeSecretHits(): SecretHit[] {
  return scanState().hits.splice(0);
}

export function isSecretScanInstalled(): boolean {
  return scanState().installed;
}

export function registeredCount(): number {
  return scanState().registry.size;
}

export function mask(value: string): string {
  return value.length < 12 ? '…' : `${value.slice(0, 4)}…${value.slice(-4)}`;
}

function describeHit(hit: SecretHit): string {
  return `  ${hit.label} (${hit.kind}) in ${hit.channel}${hit.test ? ` during "${hit.test}"` : ''}`;
}

function currentTestName(): string | null {
  return expect.getState().currentTestName ?? null;
}

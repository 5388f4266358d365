/**
 * The signed header of the fleet check's inner request. Nothing tells a shield that a request came
 * from this service's own edge, so the edge signs it: HMAC-SHA256 with the Secret Store's
 * `fleet_key` over the protocol version, the time, the shield asked and the request path. A shield
 * answers only a header it can verify within ±60 s, for itself and for the path it received, so a
 * client can neither forge one nor reuse one for another shield or another request.
 */
import { hmac, toHex } from '../sign/hmac';

/** Lowercase, as Headers reports names. */
export const FLEET_HEADER = 'edge-canary-fleet';
/** Where the edge asks a shield for its own check; always answered as health+json. */
export const INNER_PATH = '/health?scope=shield';
export const FLEET_PROTOCOL = 'v1';
export const HEADER_WINDOW_SECONDS = 60;
/** A key shorter than this is guessable offline from one captured header. */
export const MIN_FLEET_KEY_LENGTH = 32;

const CONTEXT = 'edge-canary-fleet';
const HEADER_FORM = /^v1;t=(\d{1,12});shield=([a-z0-9_-]{1,64});sig=([0-9a-f]{64})$/;

export async function signInnerHeader(key: string, shield: string, path: string, nowMs: number): Promise<string> {
  const time = Math.floor(nowMs / 1000);
  return `${FLEET_PROTOCOL};t=${time};shield=${shield};sig=${await signature(key, time, shield, path)}`;
}

export type HeaderVerdict = { ok: true; shield: string } | { ok: false; problem: string };

export interface VerifyContext {
  /** The path and query the request arrived with. */
  path: string;
  nowMs: number;
  /** Why the POP verifying is not the shield the header names (not in `shields`, not runningOn); null when it is. */
  notThisShield: (shield: string) => string | null;
}

/** Checks form, time, signature, then shield; the first problem found is the answer. */
export async function verifyInnerHeader(key: string, header: string | null, context: VerifyContext): Promise<HeaderVerdict> {
  if (header === null) return { ok: false, problem: `no ${FLEET_HEADER} header: scope=shield answers only the fleet check's signed inner request` };
  const match = HEADER_FORM.exec(header.trim());
  if (match === null) return { ok: false, problem: `${FLEET_HEADER} header is malformed (expected ${FLEET_PROTOCOL};t=<unix seconds>;shield=<code>;sig=<64 hex>)` };
  const [, timeText, shield, given] = match as unknown as [string, string, string, string];
  const time = Number(timeText);
  const skew = Math.round(context.nowMs / 1000 - time);
  if (Math.abs(skew) > HEADER_WINDOW_SECONDS) {
    return { ok: false, problem: `${FLEET_HEADER} header is ${Math.abs(skew)} s ${skew > 0 ? 'old' : 'ahead of this POP\'s clock'} (accepted: ±${HEADER_WINDOW_SECONDS} s)` };
  }
  const expected = await signature(key, time, shield, context.path);
  if (!equalInConstantTime(expected, given)) {
    return { ok: false, problem: `${FLEET_HEADER} signature does not match (another fleet_key, or signed for another path than ${context.path})` };
  }
  const notThis = context.notThisShield(shield);
  if (notThis !== null) return { ok: false, problem: notThis };
  return { ok: true, shield };
}

async function signature(key: string, time: number, shield: string, path: string): Promise<string> {
  return toHex(await hmac('SHA-256', key, [CONTEXT, FLEET_PROTOCOL, String(time), shield, path].join('\n')));
}

/** Compares every character whatever differs first, so timing says nothing about the signature. */
export function equalInConstantTime(a: string, b: string): boolean {
  let difference = a.length ^ b.length;
  for (let i = 0; i < Math.max(a.length, b.length); i++) difference |= (a.charCodeAt(i) || 0) ^ (b.charCodeAt(i) || 0);
  return difference === 0;
}

/**
 * The signed header of the fleet check's inner request. Nothing tells a shield that a request came
 * from this service's own edge, so the edge signs it: HMAC-SHA256 with the Secret Store's
 * `fleet_key` over the protocol version, the time, the shield asked and the request path. A shield
 * answers only a header it can verify within ±60 s of the signed second, for itself and for the path it received, so a
 * client can neither forge one nor reuse one for another shield or another request.
 */
import { hmac, toHex } from '../sign/hmac';

/** Lowercase, as Headers reports names. */
export const FLEET_HEADER = 'edge-canary-fleet';
/** Where the edge asks a shield for its own check; always answered as health+json. */
export const INNER_PATH = '/health?scope=shield';
export const FLEET_PROTOCOL = 'v1';
export const HEADER_WINDOW_SECONDS = 60;
/** A shield's whole answer (HTTP 403) to an inner request it cannot verify: why is in its log only. */
export const SHIELD_REFUSAL = 'refused';
/** A key shorter than this is guessable offline from one captured header. */
export const MIN_FLEET_KEY_LENGTH = 32;

const CONTEXT = 'edge-canary-fleet';
/**
 * `t` is whole unix seconds with no sign and no leading zero, so each time has one spelling and
 * the text signed is the text received; a shield code is at most 32 characters (shields-config.ts).
 * Anchored: a repeated header (which Headers joins with ", ") is malformed, not "the first one".
 */
const HEADER_FORM = /^v1;t=([1-9][0-9]{0,11});shield=([a-z0-9_-]{1,32});sig=([0-9a-f]{64})$/;

export async function signInnerHeader(key: string, shield: string, path: string, nowMs: number): Promise<string> {
  const time = String(Math.floor(nowMs / 1000));
  return `${FLEET_PROTOCOL};t=${time};shield=${shield};sig=${await signature(key, time, shield, path)}`;
}

/** `kind` groups refusals for the log (one line per kind per window, refusal-log.ts). */
export type HeaderVerdict = { ok: true; shield: string } | { ok: false; kind: 'no_header' | 'malformed' | 'time' | 'signature' | 'not_this_shield'; problem: string };

export interface VerifyContext {
  /** The path and query the request arrived with. */
  path: string;
  nowMs: number;
  /** Why the POP verifying is not the shield the header names (unknown here, not runningOn); null when it is. */
  notThisShield: (shield: string) => string | null;
}

/** Checks form, time, signature, then shield; the first problem found is the answer. */
export async function verifyInnerHeader(key: string, header: string | null, context: VerifyContext): Promise<HeaderVerdict> {
  if (header === null) return { ok: false, kind: 'no_header', problem: `no ${FLEET_HEADER} header: scope=shield answers only the fleet check's signed inner request` };
  const match = HEADER_FORM.exec(header.trim());
  if (match === null) return { ok: false, kind: 'malformed', problem: `${FLEET_HEADER} header is malformed (expected ${FLEET_PROTOCOL};t=<unix seconds>;shield=<code>;sig=<64 hex>, once)` };
  const [, timeText, shield, given] = match as unknown as [string, string, string, string];
  // The signed second against this POP's clock, exactly: 60.49 s is outside ±60 s, not "60" rounded.
  const skewMs = context.nowMs - Number(timeText) * 1000;
  if (Math.abs(skewMs) > HEADER_WINDOW_SECONDS * 1000) {
    return { ok: false, kind: 'time', problem: `${FLEET_HEADER} header is ${secondsOf(Math.abs(skewMs))} s ${skewMs > 0 ? 'old' : 'ahead of this POP\'s clock'} (accepted: ±${HEADER_WINDOW_SECONDS} s)` };
  }
  const expected = await signature(key, timeText, shield, context.path);
  if (!equalInConstantTime(expected, given)) {
    return { ok: false, kind: 'signature', problem: `${FLEET_HEADER} signature does not match (another fleet_key, or signed for another path than ${context.path})` };
  }
  const notThis = context.notThisShield(shield);
  if (notThis !== null) return { ok: false, kind: 'not_this_shield', problem: notThis };
  return { ok: true, shield };
}

/** "61", "60.49": whole seconds when whole. */
function secondsOf(ms: number): string {
  return ms % 1000 === 0 ? String(ms / 1000) : (ms / 1000).toFixed(2);
}

/** Signs the time exactly as it travels in the header. */
async function signature(key: string, timeText: string, shield: string, path: string): Promise<string> {
  return toHex(await hmac('SHA-256', key, [CONTEXT, FLEET_PROTOCOL, timeText, shield, path].join('\n')));
}

/** Compares every character whatever differs first, so timing says nothing about the signature. */
export function equalInConstantTime(a: string, b: string): boolean {
  let difference = a.length ^ b.length;
  for (let i = 0; i < Math.max(a.length, b.length); i++) difference |= (a.charCodeAt(i) || 0) ^ (b.charCodeAt(i) || 0);
  return difference === 0;
}

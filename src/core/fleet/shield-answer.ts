/**
 * Reads a shield's answer to the inner request: its own report as health+json (200 or 503), whose
 * status, reason, POP and action become that shield's site. Anything else is the hop's failure,
 * explained with the evidence (status, the refusal's first line), never a crash.
 */
import type { CappedBody } from '../canary';
import { SHIELD_REFUSAL } from './inner-header';
import { CHECK_STATUSES, REASONS, STATUSPAGE_STATUSES, type CheckStatus, type Reason, type StatuspageStatus } from '../types';

/** The fields of a site that the answer decides (the caller adds shield, timing and the action of a failed hop). */
export interface ShieldAnswer {
  status: CheckStatus;
  reason: Reason;
  pop: string | null;
  httpStatus: number | null;
  output: string;
  checkedAt: string | null;
  /** The shield's own action; null when the hop failed (the caller looks up the hop's action). */
  action: string | null;
  statuspage: StatuspageStatus | null;
}

/** A shield answer is a report of a few KiB; anything far larger is not one. */
export const MAX_SHIELD_ANSWER_BYTES = 256 * 1024;

const STATUSES: readonly string[] = CHECK_STATUSES;
const STATUSPAGE: readonly string[] = STATUSPAGE_STATUSES;

export function readShieldAnswer(httpStatus: number, body: CappedBody): ShieldAnswer {
  const text = new TextDecoder().decode(body.bytes);
  if (httpStatus === 403 && text.trim() === SHIELD_REFUSAL) return refusedHop();
  if (httpStatus !== 200 && httpStatus !== 503) {
    return hopFailure('unexpected_status', httpStatus, `the shield answered HTTP ${httpStatus}${firstLine(text)}`);
  }
  if (body.truncated) return hopFailure('invalid_content', httpStatus, `the answer is larger than ${MAX_SHIELD_ANSWER_BYTES} bytes, not a canary report`);
  const report = parseReport(text);
  if (typeof report === 'string') return hopFailure('invalid_content', httpStatus, `HTTP ${httpStatus} but not a canary report (${report})`);
  if ((report.status === 'fail') !== (httpStatus === 503)) {
    return hopFailure('invalid_content', httpStatus, `HTTP ${httpStatus} with status ${report.status}: not how the canary answers`);
  }
  return { ...report, httpStatus };
}

/**
 * Our own shield refused our own edge: the two POPs disagree on fleet_key (a rotation still
 * spreading), on the time, or on which POP is that shield. Nothing is known about the bucket there,
 * so it is a warning that vouches for nothing (Statuspage null), never a 503 that pages.
 */
function refusedHop(): ShieldAnswer {
  return { ...hopFailure('unexpected_status', 403, REFUSED_OUTPUT), status: 'warn' };
}

export const REFUSED_OUTPUT = `the shield refused the fleet check's signed request (HTTP 403 ${SHIELD_REFUSAL}); why is in that POP's log ("Fleet inner request refused")`;

/** The hop failed: no report, so the shield vouches for nothing of its own (the caller adds its statuspage). */
export function hopFailure(reason: Reason, httpStatus: number | null, output: string): ShieldAnswer {
  return { status: 'fail', reason, pop: null, httpStatus, output, checkedAt: null, action: null, statuspage: null };
}

type ParsedReport = Omit<ShieldAnswer, 'httpStatus'>;

/** The report's fields, or what is wrong with it. */
function parseReport(text: string): ParsedReport | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return `body is not JSON (${text.length} characters)`;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'body is not a JSON object';
  const fields = value as Record<string, unknown>;
  if (fields.serviceId !== 'edge-canary') return 'serviceId is not "edge-canary"';
  const { status, reason, pop, output, checkedAt, action, statuspage } = fields;
  if (typeof status !== 'string' || !STATUSES.includes(status)) return 'status is not pass, warn or fail';
  if (typeof reason !== 'string' || !(REASONS as readonly string[]).includes(reason)) return 'reason is not a reason code';
  if (typeof pop !== 'string' || typeof output !== 'string' || typeof action !== 'string') return 'pop, output or action is missing';
  if (typeof checkedAt !== 'string' || Number.isNaN(Date.parse(checkedAt))) return 'checkedAt is not a time';
  if (statuspage !== null && (typeof statuspage !== 'string' || !STATUSPAGE.includes(statuspage))) return 'statuspage is not a Statuspage status';
  return {
    status: status as CheckStatus,
    reason: reason as Reason,
    pop: printable(pop, 32),
    output: printable(output, 2000),
    checkedAt,
    action: printable(action, 2000),
    statuspage: statuspage as StatuspageStatus | null,
  };
}

/** The refusal's reason, as evidence: ": <first line>", printable and short. */
function firstLine(text: string): string {
  const line = printable(text.split('\n')[0] ?? '', 200).trim();
  return line === '' ? '' : `: ${line}`;
}

function printable(value: string, max: number): string {
  return value.replace(/[^\x20-\x7e\u00a0-\uffff]/g, '?').slice(0, max);
}

/**
 * The config key `shields`: the shield POPs production uses, as Fastly's shield codes
 * (`iad-va-us,bfi-wa-us`). Read by the fleet check only, so a mistake in it never changes what the
 * plain `/health` of a POP says.
 */
import { quote } from '../origin-fields';

export const SHIELDS_KEY = 'shields';
/** 8 shield hops plus the local check's retries stay inside Compute's 32 backend requests (docs/fleet.md). */
export const MAX_SHIELDS = 8;
/** Fastly's shield codes: lowercase letters and digits in parts joined by `-` or `_` (`iad-va-us`, `paris-fr`). */
const SHIELD_CODE = /^[a-z0-9]+(?:[-_][a-z0-9]+)*$/;
/** Fastly's codes are far shorter; 32 keeps a site's text line inside 80 columns and its labels short. */
export const MAX_SHIELD_CODE_LENGTH = 32;

export type ShieldsResult = { ok: true; shields: string[] } | { ok: false; errors: string[] };

/** `value` is the key's raw value; null when the key is not set. Every problem names its entry. */
export function parseShields(value: string | null): ShieldsResult {
  if (value === null) {
    return { ok: false, errors: [`${SHIELDS_KEY}: not set; the fleet check needs the shield codes production uses, comma-separated (e.g. iad-va-us,bfi-wa-us; see docs/fleet.md)`] };
  }
  const entries = value.split(',').map((entry) => entry.trim());
  if (entries.length === 1 && entries[0] === '') {
    return { ok: false, errors: [`${SHIELDS_KEY}: is empty; list the shield codes production uses, comma-separated (e.g. iad-va-us,bfi-wa-us)`] };
  }
  const errors: string[] = [];
  if (entries.length > MAX_SHIELDS) {
    errors.push(`${SHIELDS_KEY}: lists ${entries.length} shields, at most ${MAX_SHIELDS} fit Compute's 32 backend requests per request; keep the shields production actually uses`);
  }
  const seen = new Set<string>();
  entries.forEach((entry, index) => {
    const where = `${SHIELDS_KEY}: entry ${index + 1}`;
    if (entry === '') errors.push(`${where} is empty (a stray comma?)`);
    else if (!SHIELD_CODE.test(entry)) {
      errors.push(`${where} ${quote(entry)} is not a shield code (lowercase letters and digits joined by - or _, e.g. iad-va-us)`);
    } else if (entry.length > MAX_SHIELD_CODE_LENGTH) {
      errors.push(`${where} ${quote(entry)} has ${entry.length} characters, at most ${MAX_SHIELD_CODE_LENGTH} (Fastly's shield codes are shorter: check the spelling with fastly pops)`);
    } else if (seen.has(entry)) errors.push(`${where} ${quote(entry)} is listed twice`);
    seen.add(entry);
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, shields: entries };
}

/** Which check a request asks for: `?scope=pop` (the default, this POP's own) or `?scope=fleet` (docs/fleet.md). */

export const SCOPES = ['pop', 'fleet'] as const;
/** `shield` is the fleet check's signed inner request, only on /health, and never listed to clients as a choice. */
export type Scope = (typeof SCOPES)[number] | 'shield';

export type ScopeChoice = { ok: true; scope: Scope } | { ok: false; message: string };

export function parseScope(value: string | undefined, allowShield: boolean): ScopeChoice {
  if (value === undefined) return { ok: true, scope: 'pop' };
  // Exact, as documented: `scope=FLEET` is a 400 naming the values, not a fleet check by accident.
  const scope = SCOPES.find((s) => s === value);
  if (scope) return { ok: true, scope };
  if (value === 'shield' && allowShield) return { ok: true, scope: 'shield' };
  const inner = value === 'shield' ? ' (scope=shield is the fleet check\'s signed request to /health from one POP to another)' : '';
  return { ok: false, message: `unknown scope ${JSON.stringify(value.slice(0, 40))}${inner}; use one of ${SCOPES.join(', ')}` };
}

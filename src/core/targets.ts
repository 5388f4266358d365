/** What a target's name says about it: the bucket or the production path, and which origin role. */
import type { Target } from './types';

export type TargetKind = 'origin' | 'edge';

export function targetKind(target: Target): TargetKind {
  return target === 'edge' ? 'edge' : 'origin';
}

/** A fallback origin (`origin:fallback`, `origin:fallback-2`...): production reads it only when the primary fails. */
export function isFallbackTarget(target: Target): boolean {
  return target === 'origin:fallback' || target.startsWith('origin:fallback-');
}

/** The bucket production reads first: the flat form's `origin` or the `origins` form's `origin:primary`. */
export function isPrimaryOrigin(target: Target): boolean {
  return target === 'origin' || target === 'origin:primary';
}

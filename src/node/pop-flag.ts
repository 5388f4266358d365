/**
 * `--pop CODE`: the FASTLY_POP a local canary reports (its reports' `pop`, the POP a fleet view
 * says answered). Fastly's codes are letters, digits and dashes (`SJC`, `bfi-wa-us`), so anything
 * else is a typo, refused before it reaches a report.
 */
import { UsageError } from './cli-kit';

export function parsePopCode(text: string, flag: string): string {
  if (!/^[A-Za-z0-9]+(-[A-Za-z0-9]+)*$/.test(text)) {
    throw new UsageError(`${flag} must be a POP code of letters, digits and dashes (e.g. bfi-wa-us), got "${text}"`);
  }
  return text;
}

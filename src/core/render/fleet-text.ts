/** The fleet view in plain text: one line per site, a failing shield's own action under it. */
import type { FleetSite, Report } from '../types';

/**
 * `fleet 1/2 shields failing`, `PASS this-pop pop=LHR ok 212ms local`,
 * `FAIL shield bfi-wa-us pop=none timeout 2001ms http=none` and what it saw, indented and wrapped
 * at 80 columns (a site line too long for them, with a 32-character code and POP, goes on under
 * a deeper indent); none without a fleet view. Actions stay whole, as in the POP's own view, so
 * their commands can be pasted.
 */
export function fleetLines(report: Report, headlineAction: string): string[] {
  if (!report.fleet) return [];
  const lines = [`fleet ${report.fleet.failingShields}/${report.fleet.shieldCount} shields failing`];
  for (const site of report.fleet.sites) {
    lines.push(...siteLines(site));
    if (site.status !== 'pass') lines.push(...wrapped(site.output, INDENT));
    // The headline's action is not repeated; another failing site gets its own.
    if (site.status !== 'pass' && site.shield !== null && !headlineAction.endsWith(site.action)) lines.push(`  action: ${site.action}`);
  }
  return lines;
}

function siteLines(site: FleetSite): string[] {
  const parts = [site.status.toUpperCase(), site.shield === null ? 'this-pop' : `shield ${site.shield}`, `pop=${site.pop ?? 'none'}`, site.reason];
  parts.push(`${Math.round(site.durationMs)}ms`);
  parts.push(site.answeredBy === 'local' ? 'local' : `http=${site.httpStatus ?? 'none'}`);
  const [first, ...rest] = wrapped(parts.join(' '), '');
  // The rest of the site line sits deeper than the site's output lines, so it reads as the same line.
  return [first!, ...(rest.length === 0 ? [] : wrapped(rest.join(' '), CONTINUED))];
}

const WIDTH = 80;
const INDENT = '  ';
const CONTINUED = '    ';

/** Words into lines of at most 80 columns, each indented; a single longer word keeps its own line. */
function wrapped(text: string, indent: string): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ').filter((w) => w !== '')) {
    if (line !== '' && indent.length + line.length + 1 + word.length > WIDTH) {
      lines.push(indent + line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(indent + line);
  return lines;
}

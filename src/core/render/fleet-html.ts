/** The fleet view on the page: a grid with one card per site, this POP first, then each shield. */
import { formatUtc } from '../time-words';
import type { CheckStatus, FleetSite, Report } from '../types';
import { checkAction } from './html-action';
import { html, type Markup, NONE } from './markup';

const STATUS_WORD: Record<CheckStatus, string> = { pass: 'PASS', warn: 'WARN', fail: 'FAIL' };

export function fleetGrid(report: Report, headlineAction: string): Markup {
  if (!report.fleet) return NONE;
  const { failingShields, shieldCount, sites } = report.fleet;
  return html`<h2>Fleet: ${failingShields}/${shieldCount} shields failing</h2>
<div class="targets">${sites.map((site) => siteCard(site, headlineAction))}</div>`;
}

function siteCard(site: FleetSite, headlineAction: string): Markup {
  const title = site.shield === null ? `This POP (${site.pop ?? 'unknown'})` : `Shield ${site.shield}`;
  const own = site.status === 'pass' || headlineAction.endsWith(site.action) ? null : site.action;
  return html`<section class="target">
<h3>${title} <span class="pill ${site.status}">${STATUS_WORD[site.status]}</span></h3>
<p class="component mono">${answeredBy(site)}</p>
<dl>
<dt>Reason</dt><dd><code>${site.reason}</code></dd>
<dt>Answered by</dt><dd>${site.pop ?? 'no usable answer'}</dd>
<dt>HTTP status</dt><dd>${site.answeredBy === 'local' ? 'not asked (local)' : (site.httpStatus ?? 'no response')}</dd>
<dt>Took</dt><dd>${Math.round(site.durationMs * 10) / 10} ms</dd>
<dt>Checked at</dt><dd>${site.checkedAt === null ? 'unknown' : formatUtc(site.checkedAt)}</dd>
<dt>Statuspage</dt><dd>${site.statuspage ?? 'none (vouches for nothing)'}</dd>
</dl><p class="detail">${site.output}</p>${checkAction(site.status, own)}</section>`;
}

function answeredBy(site: FleetSite): string {
  if (site.shield === null) return "this POP's own check (details under Checks)";
  if (site.answeredBy === 'local') return 'this POP runs on this shield: its own check stands for it';
  return 'asked over its shield backend';
}

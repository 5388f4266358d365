/**
 * The /health page for people: one self-contained document (inline CSS, no scripts, no external
 * assets) that refreshes itself. Every interpolated value goes through `html`, which escapes it,
 * because reason and error codes come from the origin and may be hostile.
 */
import { adviseReport, isFreshnessSkipped, type TargetAdvice } from '../advice';
import { formatDuration, formatUtc } from '../time-words';
import type { CheckStatus, Credential, FetchCheck, FreshnessCheck, Report, TargetResult } from '../types';
import { fleetGrid } from './fleet-html';
import { actionBox, checkAction } from './html-action';
import { html, Markup, NONE } from './markup';
import { describeSince } from './since';
import { describeStatuspage } from './statuspage';

const STYLE = `
:root{color-scheme:light dark;--bg:#f4f5f7;--fg:#16181d;--muted:#545b66;--card:#fff;--line:#d5d9df;--link:#0b57d0;
--pass:#17692f;--warn:#f0b400;--fail:#b3261e;--on-pass:#fff;--on-warn:#1b1b1b;--on-fail:#fff}
@media (prefers-color-scheme:dark){:root{--bg:#101317;--fg:#e8eaed;--muted:#a6adb8;--card:#1a1e24;--line:#2e343c;--link:#8ab4f8}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif}
main{max-width:64rem;margin:0 auto;padding:1rem}
h1,h2,h3{margin:0;line-height:1.2}
h2{font-size:1.15rem;margin:1.5rem 0 .6rem}
code,.mono{font-family:ui-monospace,"SFMono-Regular",Menlo,Consolas,"DejaVu Sans Mono",monospace;font-size:.92em}
.banner{border-radius:.75rem;padding:1rem 1.25rem;display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1.25rem}
.banner h1{font-size:3rem;font-weight:800;letter-spacing:.04em}
.banner p{margin:0;flex:1 1 16rem;font-size:1.1rem;font-weight:600}
.pass{background:var(--pass);color:var(--on-pass)}.warn{background:var(--warn);color:var(--on-warn)}.fail{background:var(--fail);color:var(--on-fail)}
.skip{background:var(--line);color:var(--fg)}
.pill{display:inline-block;border-radius:.4rem;padding:.05rem .55rem;font-weight:700;font-size:.9rem;letter-spacing:.03em}
dl{display:grid;grid-template-columns:minmax(6.5rem,max-content) 1fr;gap:.3rem 1rem;margin:0}
dt{color:var(--muted)}dd{margin:0;min-width:0}
dd,li,p,h3,.banner{overflow-wrap:anywhere}
.facts{background:var(--card);border:1px solid var(--line);border-radius:.75rem;padding:1rem;margin-top:1rem}
@media (min-width:48rem){.facts dl{grid-template-columns:repeat(2,minmax(6.5rem,max-content) 1fr)}}
.targets{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,22rem),1fr));gap:1rem}
.target{background:var(--card);border:1px solid var(--line);border-radius:.75rem;padding:1rem}
.target h3{font-size:1.1rem}.target .component{color:var(--muted);margin:.2rem 0 0}
.checks{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,18rem),1fr));column-gap:2rem}
.check{border-top:1px solid var(--line);margin-top:.9rem;padding-top:.9rem}
.check h4{margin:0 0 .5rem;font-size:1rem;display:flex;gap:.6rem;align-items:center}
.detail{margin:.5rem 0 0;color:var(--muted);font-family:ui-monospace,"SFMono-Regular",Menlo,Consolas,"DejaVu Sans Mono",monospace;font-size:.92em}
.banner .since{flex-basis:100%;font-size:1rem;font-weight:500}
.action{background:var(--card);border:1px solid var(--line);border-left:.5rem solid var(--pass);border-radius:.75rem;padding:.75rem 1rem;margin-top:1rem}
.action.is-warn{border-left-color:var(--warn)}.action.is-fail{border-color:var(--fail);border-width:2px 2px 2px .5rem}
.action h2{margin:0 0 .3rem;font-size:1.05rem}.action p{margin:0}
.check-action{margin:.6rem 0 0;padding:.5rem .75rem;border-left:.3rem solid var(--fail);background:var(--bg);border-radius:.3rem}
.check-action.is-warn{border-left-color:var(--warn)}
.skipped{margin:0;color:var(--muted)}.lead{font-weight:700}
.cmd{white-space:pre-wrap;word-break:break-all;background:var(--bg);border:1px solid var(--line);border-radius:.25rem;padding:0 .2rem}
.errors{background:var(--card);border:2px solid var(--fail);border-radius:.75rem;padding:.75rem 1rem .75rem 2.25rem;margin:0}
@media (max-width:30rem){main{padding:.75rem}.facts,.target{padding:.75rem}dl{column-gap:.75rem}}
footer{margin:2rem 0 1rem;color:var(--muted)}footer a{color:var(--link)}
`;

const STATUS_WORD: Record<CheckStatus, string> = { pass: 'PASS', warn: 'WARN', fail: 'FAIL' };

export function renderHtml(report: Report): string {
  const word = STATUS_WORD[report.status];
  const advice = adviseReport(report);
  const page = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="30">
<title>${word} — edge-canary</title>
<style>${new Markup(STYLE)}</style>
</head>
<body>
<main>
<header class="banner ${report.status}">
<h1>${word}</h1>
<p>${report.output}</p>
<p class="since">${capitalize(describeSince(report))}</p>
</header>
${actionBox(report.status, capitalize(advice.action))}
${summary(report)}
${configErrors(report.configErrors)}${fleetGrid(report, advice.action)}
${report.results.length > 0 ? html`<h2>Checks</h2><div class="targets">${report.results.map((result, index) => targetCard(result, advice.targets[index]!, advice.action))}</div>` : NONE}
<footer>
<p>Also as <a href="?${scopeQuery(report)}format=json">JSON</a> · <a href="?${scopeQuery(report)}format=text">text</a> · <a href="/metrics${report.fleet ? '?scope=fleet' : ''}">Prometheus metrics</a>. This page refreshes every 30 seconds.</p>
</footer>
</main>
</body>
</html>
`;
  return page.text;
}

/** The other formats of the same view: the fleet page links the fleet's. */
function scopeQuery(report: Report): string {
  return report.fleet ? 'scope=fleet&' : '';
}

function summary(report: Report): Markup {
  return html`<section class="facts" aria-label="Summary"><dl>
<dt>POP</dt><dd>${report.pop}</dd>
<dt>Checked at</dt><dd><time datetime="${report.checkedAt}">${formatUtc(report.checkedAt)}</time></dd>
<dt>Result</dt><dd>${sharedInWords(report)}</dd>
<dt>Check took</dt><dd>${formatMs(report.durationMs)}</dd>
<dt>Statuspage</dt><dd>${describeStatuspage(report)}</dd>
<dt>Release</dt><dd>${report.releaseId}</dd>
${report.targets ? Object.entries(report.targets).map(([target, { credential }]) => credentialFacts(credential, ` (${target})`)) : credentialFacts(report.credential)}
</dl></section>`;
}

function sharedInWords(report: Report): string {
  if (!report.shared) return 'Fresh: this check ran for this request.';
  return `Reused: this page shows the check another request started at ${formatUtc(report.checkedAt)}. ` +
    'Each POP runs at most one check per result_ttl_ms and gives every request in that window the same answer, so the bucket is not read once per visitor.';
}

function credentialFacts(credential: Credential | null, whose = ''): Markup {
  if (!credential) return NONE;
  return html`<dt>Access id${whose}</dt><dd class="mono">${credential.accessId}</dd>
<dt>Fingerprint${whose}</dt><dd class="mono">${credential.fingerprint}</dd>`;
}

function configErrors(errors: string[]): Markup {
  if (errors.length === 0) return NONE;
  return html`<h2>Configuration errors</h2><ul class="errors">${errors.map((error) => html`<li>${error}</li>`)}</ul>`;
}

/** A check's own action, unless it is the one in the box at the top. */
function targetCard({ fetch, freshness }: TargetResult, actions: TargetAdvice, headline: string): Markup {
  const own = (action: string) => (action === headline ? null : action);
  return html`<section class="target">
<h3>${fetch.target}</h3><p class="component mono">${fetch.componentId}</p>
<div class="checks">${fetchCheck(fetch, own(actions.fetch))}${freshnessCheck(freshness, fetch, own(actions.freshness))}</div>
</section>`;
}

function checkHeading(name: string, status: CheckStatus | 'skipped'): Markup {
  if (status === 'skipped') return html`<h4>${name} <span class="pill skip">SKIPPED</span></h4>`;
  return html`<h4>${name} <span class="pill ${status}">${STATUS_WORD[status]}</span></h4>`;
}

function fetchCheck(check: FetchCheck, action: string | null): Markup {
  return html`<div class="check">${checkHeading('fetch', check.status)}<dl>
<dt>Reason</dt><dd><code>${check.reason}</code></dd>
<dt>HTTP status</dt><dd>${check.httpStatus ?? 'no response'}</dd>
<dt>Origin error</dt><dd>${check.errorCode === null ? 'none' : html`<code>${check.errorCode}</code>`}</dd>
<dt>Latency</dt><dd>${formatMs(check.durationMs)}</dd>
<dt>Attempts</dt><dd>${check.attempts}</dd>
</dl><p class="detail">${check.detail}</p>${checkAction(check.status, action)}</div>`;
}

function freshnessCheck(check: FreshnessCheck, fetch: FetchCheck, action: string | null): Markup {
  // Without a canary object there is no age, date or sequence: say so once instead of three "unknown"s.
  if (isFreshnessSkipped(check, fetch)) {
    return html`<div class="check">${checkHeading('freshness', 'skipped')}<p class="skipped">Skipped: the fetch failed (<code>${fetch.reason}</code>), so there is no canary object whose age could be judged.</p></div>`;
  }
  return html`<div class="check">${checkHeading('freshness', check.status)}<dl>
<dt>Reason</dt><dd><code>${check.reason}</code></dd>
<dt>Object age</dt><dd>${check.ageSeconds === null ? 'unknown' : formatDuration(check.ageSeconds)}</dd>
<dt>Written at</dt><dd>${check.writtenAt === null ? 'unknown' : formatUtc(check.writtenAt)}</dd>
<dt>Sequence</dt><dd>${check.sequence ?? 'unknown'}</dd>
</dl><p class="detail">${check.detail}</p>${checkAction(check.status, action)}</div>`;
}

function formatMs(ms: number): string {
  return `${Math.round(ms * 10) / 10} ms`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

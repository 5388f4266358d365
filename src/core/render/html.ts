/**
 * The /health page for people: one self-contained document (inline CSS, no scripts, no external
 * assets) that refreshes itself. Every interpolated value goes through `html`, which escapes it,
 * because reason and error codes come from the origin and may be hostile.
 */
import type { CheckStatus, Credential, FetchCheck, FreshnessCheck, Report, TargetResult } from '../types';

class Markup {
  constructor(readonly text: string) {}
}

type Interpolation = string | number | Markup | readonly Markup[];

function escapeHtml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

function html(strings: TemplateStringsArray, ...values: Interpolation[]): Markup {
  let text = strings[0];
  values.forEach((value, index) => {
    text += interpolate(value) + strings[index + 1];
  });
  return new Markup(text);
}

function interpolate(value: Interpolation): string {
  if (value instanceof Markup) return value.text;
  if (typeof value === 'string' || typeof value === 'number') return escapeHtml(String(value));
  return value.map((part) => part.text).join('');
}

const NONE = new Markup('');

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
.errors{background:var(--card);border:2px solid var(--fail);border-radius:.75rem;padding:.75rem 1rem .75rem 2.25rem;margin:0}
@media (max-width:30rem){main{padding:.75rem}.facts,.target{padding:.75rem}dl{column-gap:.75rem}}
footer{margin:2rem 0 1rem;color:var(--muted)}footer a{color:var(--link)}
`;

const STATUS_WORD: Record<CheckStatus, string> = { pass: 'PASS', warn: 'WARN', fail: 'FAIL' };

export function renderHtml(report: Report): string {
  const word = STATUS_WORD[report.status];
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
</header>
${summary(report)}
${configErrors(report.configErrors)}
${report.results.length > 0 ? html`<h2>Checks</h2><div class="targets">${report.results.map(targetCard)}</div>` : NONE}
<footer>
<p>Also as <a href="?format=json">JSON</a> · <a href="?format=text">text</a> · <a href="/metrics">Prometheus metrics</a>. This page refreshes every 30 seconds.</p>
</footer>
</main>
</body>
</html>
`;
  return page.text;
}

function summary(report: Report): Markup {
  return html`<section class="facts" aria-label="Summary"><dl>
<dt>POP</dt><dd>${report.pop}</dd>
<dt>Checked at</dt><dd><time datetime="${report.checkedAt}">${formatTime(report.checkedAt)}</time></dd>
<dt>Result</dt><dd>${report.shared ? 'shared: reused from a check made for another request' : 'fresh: checked for this request'}</dd>
<dt>Check took</dt><dd>${formatMs(report.durationMs)}</dd>
<dt>Statuspage</dt><dd>${report.statuspage}</dd>
<dt>Release</dt><dd>${report.releaseId}</dd>
${credentialFacts(report.credential)}
</dl></section>`;
}

function credentialFacts(credential: Credential | null): Markup {
  if (!credential) return NONE;
  return html`<dt>Access id</dt><dd class="mono">${credential.accessId}</dd>
<dt>Fingerprint</dt><dd class="mono">${credential.fingerprint}</dd>`;
}

function configErrors(errors: string[]): Markup {
  if (errors.length === 0) return NONE;
  return html`<h2>Configuration errors</h2><ul class="errors">${errors.map((error) => html`<li>${error}</li>`)}</ul>`;
}

function targetCard({ fetch, freshness }: TargetResult): Markup {
  return html`<section class="target">
<h3>${fetch.target}</h3><p class="component mono">${fetch.componentId}</p>
<div class="checks">${fetchCheck(fetch)}${freshnessCheck(freshness)}</div>
</section>`;
}

function checkHeading(name: string, status: CheckStatus): Markup {
  return html`<h4>${name} <span class="pill ${status}">${STATUS_WORD[status]}</span></h4>`;
}

function fetchCheck(check: FetchCheck): Markup {
  return html`<div class="check">${checkHeading('fetch', check.status)}<dl>
<dt>Reason</dt><dd><code>${check.reason}</code></dd>
<dt>HTTP status</dt><dd>${check.httpStatus ?? 'no response'}</dd>
<dt>Origin error</dt><dd>${check.errorCode === null ? 'none' : html`<code>${check.errorCode}</code>`}</dd>
<dt>Latency</dt><dd>${formatMs(check.durationMs)}</dd>
<dt>Attempts</dt><dd>${check.attempts}</dd>
</dl><p class="detail">${check.detail}</p></div>`;
}

function freshnessCheck(check: FreshnessCheck): Markup {
  return html`<div class="check">${checkHeading('freshness', check.status)}<dl>
<dt>Reason</dt><dd><code>${check.reason}</code></dd>
<dt>Object age</dt><dd>${check.ageSeconds === null ? 'unknown' : formatAge(check.ageSeconds)}</dd>
<dt>Written at</dt><dd>${check.writtenAt === null ? 'unknown' : formatTime(check.writtenAt)}</dd>
<dt>Sequence</dt><dd>${check.sequence ?? 'unknown'}</dd>
</dl><p class="detail">${check.detail}</p></div>`;
}

function formatMs(ms: number): string {
  return `${Math.round(ms * 10) / 10} ms`;
}

function formatAge(seconds: number): string {
  const sign = seconds < 0 ? '-' : '';
  const whole = Math.round(Math.abs(seconds));
  if (whole < 120) return `${sign}${whole} s`;
  const minutes = Math.floor(whole / 60);
  if (minutes < 120) return `${sign}${minutes} min ${whole % 60} s`;
  return `${sign}${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** "2026-11-26 00:40:01 UTC"; the raw value when it is not a timestamp. */
function formatTime(iso: string): string {
  const millis = Date.parse(iso);
  if (Number.isNaN(millis)) return iso;
  return new Date(millis).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

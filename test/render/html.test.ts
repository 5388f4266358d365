import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/core/render/html';
import {
  SAMPLE_REPORTS,
  failAuthReport,
  failEdgeTimeoutReport,
  hostileReport,
  misconfiguredReport,
  passReport,
  passWithEdgeReport,
  staleOriginCachedEdgeReport,
  warnStaleReport,
} from '../fixtures/reports';

const ALLOWED_TAGS = new Set([
  'html', 'head', 'meta', 'title', 'style', 'body', 'main', 'header', 'footer', 'section', 'div',
  'h1', 'h2', 'h3', 'h4', 'p', 'dl', 'dt', 'dd', 'ul', 'li', 'span', 'code', 'time', 'a',
]);

function tagNames(page: string): string[] {
  return [...page.matchAll(/<([a-zA-Z][a-zA-Z0-9-]*)/g)].map((m) => m[1].toLowerCase());
}

/** The markup's own tags: escaped text cannot contain a raw `<`, so these are all real elements. */
function openingTags(page: string): string[] {
  return [...page.matchAll(/<[a-zA-Z][^>]*>/g)].map((m) => m[0]);
}

describe('renderHtml: a self-contained page', () => {
  it.each(SAMPLE_REPORTS)('$name: document head, no scripts, no external assets, links to the other formats', ({ report }) => {
    const page = renderHtml(report);
    expect(page.startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
    expect(page).toContain('<meta http-equiv="refresh" content="30">');
    expect(page).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(page).toContain('<meta charset="utf-8">');
    expect(page).toMatch(new RegExp(`<title>${report.status.toUpperCase()} — edge-canary</title>`));
    expect(page).not.toMatch(/<script/i);
    for (const tag of openingTags(page)) expect(tag).not.toMatch(/\b(?:src|href|action|srcset)\s*=\s*["']?\s*(?:https?:)?\/\//i);
    expect(page).not.toMatch(/url\(|@import|@font-face/i);
    // The fleet view links the fleet's other formats.
    const scope = report.fleet ? 'scope=fleet&amp;' : '';
    expect(page).toContain(`href="?${scope}format=json"`);
    expect(page).toContain(`href="?${scope}format=text"`);
    expect(page).toContain(report.fleet ? 'href="/metrics?scope=fleet"' : 'href="/metrics"');
    for (const tag of tagNames(page)) expect(ALLOWED_TAGS, `unexpected <${tag}>`).toContain(tag);
  });
});

describe('renderHtml: hostile values are shown as text, never as markup', () => {
  const page = renderHtml(hostileReport);

  it.each([
    { field: 'origin error code', escaped: '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;' },
    { field: 'output sentence', escaped: 'auth_failed (403 &lt;script&gt;alert(1)&lt;/script&gt;)' },
    { field: 'component id', escaped: 'gs://b/&quot;&gt;&lt;img src=https://evil.example/x.png&gt;' },
    { field: 'POP', escaped: 'L&quot;H\\R\n&lt;b&gt;' },
    { field: 'release id', escaped: 'v&#39;1&quot;&amp;&lt;i&gt;' },
    { field: 'check detail', escaped: 'status (403) == 200 &amp; &lt;b&gt;&#39;bold&#39;&lt;/b&gt;' },
    { field: 'config error', escaped: '&lt;iframe src=&quot;https://evil.example&quot;&gt;' },
  ])('$field is escaped', ({ escaped }) => {
    expect(page).toContain(escaped);
  });

  it('adds no tag of its own', () => {
    expect(tagNames(page).filter((tag) => !ALLOWED_TAGS.has(tag))).toEqual([]);
    expect(page).not.toMatch(/<(?:script|img|iframe|b|i)[\s>]/i);
  });
});

describe('renderHtml: what a person reads', () => {
  it.each([
    { name: 'pass', report: passReport, shown: ['<h1>PASS</h1>', 'origin: ok (age 38 s)', 'LHR', '2026-11-26 00:40:01 UTC', 'Fresh: this check ran for this request.', '41.7 ms', '38 s', '>200<', 'operational'] },
    { name: 'warn stale', report: warnStaleReport, shown: ['<h1>WARN</h1>', '<code>stale</code>', '6 min 52 s', 'degraded_performance'] },
    { name: 'fail auth', report: failAuthReport, shown: ['<h1>FAIL</h1>', '<code>auth_failed</code>', '>403<', '<code>SignatureDoesNotMatch</code>', 'major_outage'] },
    { name: 'edge timeout', report: failEdgeTimeoutReport, shown: ['<h3>edge</h3>', 'no response', '<code>timeout</code>', '8000 ms', '>2<'] },
    { name: 'shared result', report: passWithEdgeReport, shown: ['Reused: this page shows the check another request started at 2026-11-26 00:40:01 UTC', 'the bucket is not read once per visitor', '<h3>origin</h3>', '<h3>edge</h3>'] },
    { name: 'credential', report: passReport, shown: ['GOOG…WXYZ', '3f9a0c1b2d4e'] },
    { name: 'misconfigured', report: misconfiguredReport, shown: ['<dt>Statuspage</dt><dd>none (the canary cannot vouch for anything)</dd>', 'Configuration errors', '<li>bucket is required</li>', 'max_age_seconds must be a positive integer (got &quot;soon&quot;)'] },
  ])('$name shows $shown', ({ report, shown }) => {
    const page = renderHtml(report);
    for (const text of shown) expect(page).toContain(text);
  });

  it.each([
    { name: 'pass', report: passReport, hidden: ['Configuration errors', 'FAIL', 'WARN'] },
    { name: 'misconfigured', report: misconfiguredReport, hidden: ['<h2>Checks</h2>', 'Access id', 'Fingerprint'] },
  ])('$name does not show $hidden', ({ report, hidden }) => {
    const page = renderHtml(report);
    for (const text of hidden) expect(page).not.toContain(text);
  });

  it('sets the command of an action as code, so it reads as something to paste', () => {
    const page = renderHtml(failAuthReport);
    expect(page).toContain('<section class="action is-fail" aria-label="What to do"><h2>What to do</h2><p>The bucket rejects this secret: compare fingerprint 3f9a0c1b2d4e');
    expect(page).toContain('and run <code class="cmd">npm run verify -- --bucket canary-bucket --object edge-canary.json --signing goog4</code>; if production');
  });

  it('a second failing check shows its own action in its card; the headline one is shown once', () => {
    const page = renderHtml(staleOriginCachedEdgeReport);
    expect(page.match(/from its cache \(Age: 31\)/g)).toHaveLength(1);
    expect(page).toContain('<p class="check-action is-warn"><span class="lead">What to do:</span> the canary was written 6 min 52 s ago');
  });

  it.each([
    { name: 'pass', report: passReport, since: 'Passing since 2026-11-25 21:05 UTC (3 h 35 min), before that failing' },
    { name: 'misconfigured', report: misconfiguredReport, since: 'Failing since at least 00:39 UTC (3 s): this POP remembers no earlier status' },
  ])('$name: the banner says since when', ({ report, since }) => {
    expect(renderHtml(report)).toContain(`<p class="since">${since}</p>`);
  });

  it('shows a status word on every check, not colour alone', () => {
    const page = renderHtml(failEdgeTimeoutReport);
    const pills = [...page.matchAll(/<span class="pill (\w+)">(\w+)<\/span>/g)].map((m) => [m[1], m[2]]);
    expect(pills).toEqual([['pass', 'PASS'], ['pass', 'PASS'], ['fail', 'FAIL'], ['skip', 'SKIPPED']]);
  });
});

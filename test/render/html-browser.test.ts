import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Browser, type Page, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/core/render/html';
import type { Report } from '../../src/core/types';
import { CHROMIUM, requireTools } from '../support/required-tool';
import { SAMPLE_REPORTS, failAuthReport, hostileReport, passReport, passWithEdgeReport, warnStaleReport } from '../fixtures/reports';

const [chromiumPath] = requireTools([CHROMIUM]);
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
const PHONE = { width: 375, height: 740 };
const DESKTOP = { width: 1280, height: 800 };

let browser: Browser;

beforeAll(async () => {
  if (chromiumPath === undefined) return;
  browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS });
  mkdirSync(ARTIFACTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
});

/** Opens the rendered report in a fresh context, runs `use`, and records every network request. */
async function withPage<T>(report: Report, options: { viewport: typeof PHONE; colorScheme?: 'light' | 'dark' }, use: (page: Page, requests: string[]) => Promise<T>): Promise<T> {
  const context = await browser.newContext({ viewport: options.viewport, colorScheme: options.colorScheme ?? 'light' });
  try {
    const page = await context.newPage();
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    await page.setContent(renderHtml(report), { waitUntil: 'load' });
    return await use(page, requests);
  } finally {
    await context.close();
  }
}

const scrollWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

describe.skipIf(chromiumPath === undefined)('HTML view in Chromium', () => {
  it.each([
    { name: 'pass', report: passReport, file: 'health-pass', visible: ['PASS', 'origin: ok (age 38 s)', 'LHR', '2026-11-26 00:40:01 UTC', '41.7 ms', '38 s', 'GOOG…WXYZ'], absent: ['FAIL'] },
    { name: 'fail', report: failAuthReport, file: 'health-fail', visible: ['FAIL', 'auth_failed', 'SignatureDoesNotMatch', '403', 'LHR', 'major_outage'], absent: ['PASS'] },
  ])('$name: visible text, fits a 375 px phone, loads nothing, screenshot', async ({ report, file, visible, absent }) => {
    await withPage(report, { viewport: PHONE }, async (page, requests) => {
      const text = await page.innerText('body');
      expect(text.trimStart().startsWith(visible[0]), `the page opens with ${visible[0]}`).toBe(true);
      for (const expected of visible) expect(text).toContain(expected);
      for (const unexpected of absent) expect(text).not.toContain(unexpected);
      expect(await scrollWidth(page)).toBeLessThanOrEqual(PHONE.width);
      expect(requests).toEqual([]);
      await page.screenshot({ path: `${ARTIFACTS}${file}.png`, fullPage: true });
    });
    await withPage(report, { viewport: DESKTOP }, async (page) => {
      expect(await scrollWidth(page)).toBeLessThanOrEqual(DESKTOP.width);
      await page.screenshot({ path: `${ARTIFACTS}${file}-1280.png`, fullPage: true });
    });
  });

  it('fail on a phone: since when in the banner, then the action box, both on the first screen', async () => {
    await withPage(failAuthReport, { viewport: PHONE }, async (page) => {
      expect(await page.innerText('header')).toContain('Failing since 00:28 UTC (12 min), before that passing');
      const action = page.locator('section.action');
      expect(await action.innerText()).toMatch(/^What to do\s+The bucket rejects this secret: compare fingerprint 3f9a0c1b2d4e with the intended one/);
      expect(await action.innerText()).toContain('npm run verify -- --bucket canary-bucket --object edge-canary.json --signing goog4');
      const [banner, box, facts] = await Promise.all(['header', 'section.action', 'section.facts'].map((selector) => page.locator(selector).boundingBox()));
      expect(banner!.y + banner!.height).toBeLessThanOrEqual(box!.y);
      expect(box!.y + box!.height).toBeLessThanOrEqual(facts!.y);
      expect(box!.y + box!.height, 'the whole action is readable without scrolling').toBeLessThanOrEqual(PHONE.height);
      await page.screenshot({ path: `${ARTIFACTS}health-fail-first-screen.png` });
    });
  });

  it('a skipped freshness check reads as skipped, and its card shows no "unknown"', async () => {
    await withPage(failAuthReport, { viewport: DESKTOP }, async (page) => {
      const card = page.locator('section.target');
      const text = await card.innerText();
      expect(text).toContain('SKIPPED');
      expect(text).toContain('Skipped: the fetch failed (auth_failed), so there is no canary object whose age could be judged.');
      expect(text).not.toContain('unknown');
      expect(text, 'the action in the box at the top is not repeated').not.toContain('What to do');
    });
  });

  it('explains a shared result in plain words', async () => {
    await withPage(passWithEdgeReport, { viewport: PHONE }, async (page) => {
      expect(await page.innerText('section.facts')).toContain('Reused: this page shows the check another request started at 2026-11-26 00:40:01 UTC.');
    });
  });

  it.each(SAMPLE_REPORTS)('$name: no horizontal scroll at 375 px', async ({ report }) => {
    await withPage(report, { viewport: PHONE }, async (page) => {
      expect(await scrollWidth(page)).toBeLessThanOrEqual(PHONE.width);
    });
  });

  it('shows hostile values as literal text and creates no element from them', async () => {
    await withPage(hostileReport, { viewport: PHONE }, async (page, requests) => {
      expect(await page.innerText('body')).toContain('<script>alert("x")</script>');
      expect(await page.locator('script, img, iframe, b, i').count()).toBe(0);
      expect(requests).toEqual([]);
    });
  });

  it.each([
    { report: passReport, colorScheme: 'light' as const },
    { report: warnStaleReport, colorScheme: 'light' as const },
    { report: failAuthReport, colorScheme: 'light' as const },
    { report: passReport, colorScheme: 'dark' as const },
    { report: warnStaleReport, colorScheme: 'dark' as const },
    { report: failAuthReport, colorScheme: 'dark' as const },
  ])('$report.status label and actions are readable in $colorScheme mode (contrast >= 4.5)', async ({ report, colorScheme }) => {
    await withPage(report, { viewport: PHONE, colorScheme }, async (page) => {
      const colors = await page.evaluate(() => {
        const label = document.querySelector('header h1');
        const banner = document.querySelector('header');
        if (!label || !banner) throw new Error('no status banner');
        return { text: getComputedStyle(label).color, background: getComputedStyle(banner).backgroundColor };
      });
      expect(contrastRatio(colors.text, colors.background), JSON.stringify(colors)).toBeGreaterThanOrEqual(4.5);
      const actions = await page.evaluate(() => [...document.querySelectorAll('section.action p, p.check-action')].map((element) => {
        // The nearest ancestor with a background of its own is what the text is drawn on.
        let painted: Element | null = element;
        while (painted && getComputedStyle(painted).backgroundColor === 'rgba(0, 0, 0, 0)') painted = painted.parentElement;
        return { text: getComputedStyle(element).color, background: painted ? getComputedStyle(painted).backgroundColor : 'rgb(255, 255, 255)' };
      }));
      expect(actions.length).toBeGreaterThan(0);
      for (const colors of actions) expect(contrastRatio(colors.text, colors.background), JSON.stringify(colors)).toBeGreaterThanOrEqual(4.5);
    });
  });
});

/** WCAG 2 contrast ratio of two computed `rgb(r, g, b)` colours. */
function contrastRatio(a: string, b: string): number {
  const [lighter, darker] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (lighter + 0.05) / (darker + 0.05);
}

function luminance(color: string): number {
  const channels = color.match(/\d+(?:\.\d+)?/g)?.slice(0, 3).map(Number);
  if (!channels || channels.length !== 3) throw new Error(`not an rgb colour: ${color}`);
  const [r, g, b] = channels.map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/**
 * The documentation holds together: every relative link reaches a page and a heading that exist,
 * the runbook has a section for every reason the canary can report, and the README names every
 * tool the test suite needs, with its Debian package.
 */
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REASONS } from '../../src/core/types';
import { type DocPage, docText } from '../support/readme-snippets';
import { BLACKBOX_EXPORTER, CHECK_HTTP, CHROMIUM, JQ, PROMTOOL } from '../support/required-tool';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PAGES: DocPage[] = ['README.md', ...readdirSync(`${ROOT}docs`).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}` as DocPage)];


/** GitHub's heading anchors: lower case, punctuation other than `-` and `_` dropped, spaces to `-`, repeats numbered. */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const withoutCode = markdown.replace(/^```[\s\S]*?^```/gm, '');
  for (const [, heading] of withoutCode.matchAll(/^#{1,6} (.+)$/gm)) {
    const base = heading!.trim().toLowerCase().replace(/[^\p{L}\p{N}\p{M}\p{Pc}\- ]/gu, '').replace(/ /g, '-');
    let anchor = base;
    for (let n = 1; anchors.has(anchor); n++) anchor = `${base}-${n}`;
    anchors.add(anchor);
  }
  return anchors;
}

/**
 * CommonMark's fenced code blocks, checked for the ways a page renders wrong from one point on:
 * a fence run followed by text inside a block (content, not a closing fence), a block never closed,
 * a backtick fence whose info string holds a backtick (not a fence at all). One message per fault.
 */
export function fenceProblems(markdown: string): string[] {
  const problems: string[] = [];
  let open: { line: number; run: string } | null = null;
  for (const [index, text] of markdown.split('\n').entries()) {
    const line = index + 1;
    const fence = /^ *(`{3,}|~{3,})(.*)$/.exec(text);
    if (!fence) continue;
    const run = fence[1]!;
    const rest = fence[2]!;
    if (open === null) {
      if (run.startsWith('`') && rest.includes('`')) problems.push(`line ${line}: a backtick in the info string ("${text.trim()}") makes it no fence`);
      else open = { line, run };
    } else if (run[0] === open.run[0] && run.length >= open.run.length) {
      if (rest.trim() === '') open = null;
      else problems.push(`line ${line}: "${text.trim()}" does not close the block opened on line ${open.line}: a closing fence stands alone on its line`);
    }
  }
  if (open !== null) problems.push(`line ${open.line}: this block is never closed`);
  return problems;
}

function relativeLinks(markdown: string): { target: string; anchor: string | null }[] {
  const withoutCode = markdown.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
  return [...withoutCode.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((match) => match[1]!)
    .filter((href) => !/^[a-z]+:/i.test(href))
    .map((href) => {
      const [target, anchor] = href.split('#');
      return { target: target ?? '', anchor: anchor ?? null };
    });
}

function resolve(from: DocPage, target: string): string {
  if (target === '') return from;
  return new URL(target, `file:///${from}`).pathname.slice(1);
}

describe('documentation pages', () => {
  it('finds the pages and their headings', () => {
    expect(PAGES).toContain('docs/runbook.md');
    expect(headingAnchors('## 1. The bucket side: two credentials\n## `auth_failed`\n## The demo: `npm run demo`\n## A\n## A\n')).toEqual(
      new Set(['1-the-bucket-side-two-credentials', 'auth_failed', 'the-demo-npm-run-demo', 'a', 'a-1']),
    );
  });

  it.each(PAGES)('%s: every relative link reaches an existing file and heading', (page) => {
    const broken: string[] = [];
    for (const { target, anchor } of relativeLinks(docText(page))) {
      const file = resolve(page, target);
      if (!existsSync(`${ROOT}${file}`)) {
        broken.push(`${target} (no such file: ${file})`);
        continue;
      }
      if (anchor !== null && file.endsWith('.md') && !headingAnchors(docText(file as DocPage)).has(anchor)) {
        broken.push(`${target}#${anchor} (no such heading in ${file})`);
      }
    }
    expect(broken).toEqual([]);
  });
});

describe('fenced code blocks', () => {
  it('finds each fault the checker knows', () => {
    expect(fenceProblems('```sh\necho\n```\ntext\n~~~\n```\n~~~\n')).toEqual([]);
    expect(fenceProblems('```sh\necho\n``` Then\nmore\n```\nobject\n```\n')).toEqual([
      'line 3: "``` Then" does not close the block opened on line 1: a closing fence stands alone on its line',
      'line 7: this block is never closed',
    ]);
    expect(fenceProblems('``` see `x`\n')).toEqual(['line 1: a backtick in the info string ("``` see `x`") makes it no fence']);
    expect(fenceProblems('````md\n```\n````\n')).toEqual([]);
  });

  it.each(PAGES)('%s: every fence opens and closes cleanly', (page) => {
    expect(fenceProblems(docText(page))).toEqual([]);
  });
});

describe('the runbook', () => {
  const runbook = docText('docs/runbook.md');
  const sections = new Map(
    [...runbook.matchAll(/^## `([a-z_]+)`\n([\s\S]*?)(?=^## |(?![\s\S]))/gm)].map((match) => [match[1]!, match[2]!]),
  );

  it('has one section per reason the canary reports', () => {
    expect([...sections.keys()].sort()).toEqual([...REASONS].sort());
  });

  it.each(REASONS.filter((reason) => reason !== 'ok'))('%s: says what it means, what to check and what to do', (reason) => {
    const section = sections.get(reason) ?? '';
    for (const part of ['**Means**', '**Check**', '**Do**']) expect(section, `${reason} has no ${part}`).toContain(part);
  });
});

describe('the README', () => {
  it.each([PROMTOOL, BLACKBOX_EXPORTER, CHECK_HTTP, CHROMIUM, JQ])('names $name and its Debian package $debianPackage', (tool) => {
    expect(docText('README.md')).toMatch(new RegExp(`^\\| \`${tool.name}\` \\| \`${tool.debianPackage}\` \\|`, 'm'));
  });

  it('names wrk for the bench', () => {
    expect(docText('README.md')).toMatch(/`wrk` is for `npm run bench`/);
  });
});

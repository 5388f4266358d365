/**
 * docs/statuspage.md, docs/uploader.md and docs/verify.md are the reference of their CLIs: every
 * flag the usage text offers has a row in the page's flag table, and so do the exit codes.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { USAGE as STATUSPAGE_USAGE } from '../../scripts/statuspage/args';
import { USAGE as UPLOAD_USAGE } from '../../scripts/uploader/args';
import { USAGE as VERIFY_USAGE } from '../../scripts/verify/options';

const pages = [
  { page: 'docs/statuspage.md', usage: STATUSPAGE_USAGE },
  { page: 'docs/uploader.md', usage: UPLOAD_USAGE },
  { page: 'docs/verify.md', usage: VERIFY_USAGE },
];

function read(page: string): string {
  return readFileSync(new URL(`../../${page}`, import.meta.url), 'utf8');
}

/** The first cell of every table row, e.g. "`--bucket B`, `--object O`". */
function firstCells(text: string): string[] {
  // A cell may hold an escaped pipe: `--signing goog4\|aws4`.
  return [...text.matchAll(/^\| ((?:[^|\\]|\\.)+?) \|/gm)].map((match) => match[1]!);
}

describe.each(pages)('$page', ({ page, usage }) => {
  const text = read(page);

  it('documents every flag of the usage text in its flag table', () => {
    const flags = [...new Set([...usage.matchAll(/--[a-z][a-z-]*/g)].map((match) => match[0]))];
    const cells = firstCells(text).join(' ');
    const missing = flags.filter((flag) => !new RegExp(`\`${flag}[\` ]`).test(cells));
    expect(missing, `flags without a row in ${page}`).toEqual([]);
  });

  it('says what exit 0, 1 and 2 mean', () => {
    for (const code of ['0', '1', '2']) expect(text, `exit ${code} in ${page}`).toMatch(new RegExp(`(^\\| ${code} \\||Exit ${code}\\b)`, 'm'));
  });
});

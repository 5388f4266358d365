/** docs/reading-the-report.md against the code it describes: the action table and the health+json fields. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ACTION_TABLE } from '../../src/core/actions';
import { renderHealthJson } from '../../src/core/render/json';
import { failAuthReport, misconfiguredReport } from '../fixtures/reports';

const page = readFileSync(new URL('../../docs/reading-the-report.md', import.meta.url), 'utf8');

/** The rows of the markdown table whose header starts with `| first |`. */
function tableRows(first: string): string[][] {
  const start = page.indexOf(`\n| ${first} |`);
  if (start < 0) throw new Error(`docs/reading-the-report.md has no table starting with "| ${first} |"`);
  const lines = page.slice(start + 1).split('\n');
  const end = lines.findIndex((line) => !line.startsWith('|'));
  return lines.slice(2, end).map((line) => line.slice(1, -1).split(/(?<!\\)\|/).map((cell) => cell.trim()));
}

describe('docs/reading-the-report.md', () => {
  it('lists the rows of the action table in the order they are tried', () => {
    const documented = tableRows('reason | error code').map(([reason, code, target, when]) => [reason, code, target, when]);
    const actual = ACTION_TABLE.map((row) => [
      `\`${row.reason}\``, row.errorCode === '*' ? 'any' : `\`${row.errorCode}\``, row.target ?? 'any', row.when?.says ?? '',
    ]);
    expect(documented).toEqual(actual);
  });

  it('explains every top-level health+json field', () => {
    const documented = tableRows('field | meaning').map(([field]) => field!);
    const explained = (name: string) => documented.some((cell) => cell.split(/,\s*/).includes(`\`${name}\``));
    for (const report of [failAuthReport, misconfiguredReport]) {
      for (const name of Object.keys(JSON.parse(renderHealthJson(report)))) expect(explained(name), name).toBe(true);
    }
  });

  it('names every field of a fetch and a freshness check', () => {
    const body = JSON.parse(renderHealthJson(failAuthReport));
    for (const key of ['origin:fetch', 'origin:freshness']) {
      for (const name of Object.keys(body.checks[key][0])) expect(page, `${key} ${name}`).toContain(`\`${name}\``);
    }
  });
});

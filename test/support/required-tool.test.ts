/**
 * The "requires tool X from package Y" helper: found tools run, missing ones skip with one line
 * naming the tool and its Debian package, and under CI a missing tool fails instead.
 */
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CHECK_HTTP, CHROMIUM, PROMTOOL, type ToolSpec, findTool, requireTools, underCi } from './required-tool';
import { makeTempDir } from './temp-dir';

const tools = makeTempDir('edge-canary-tools-');
const empty = makeTempDir('edge-canary-no-tools-');
chmodSync(tools.write('promtool', '#!/bin/sh\n'), 0o755);
tools.write('check_http', 'not executable');
afterAll(() => {
  tools.remove();
  empty.remove();
});

const NOWHERE: ToolSpec = { name: 'promtool', debianPath: '/nonexistent/edge-canary/promtool', debianPackage: 'prometheus', neededFor: 'a test' };

describe('findTool', () => {
  it('finds an executable in the EDGE_CANARY_TOOL_PATH directories', () => {
    expect(findTool(PROMTOOL, { EDGE_CANARY_TOOL_PATH: `${empty.path}:${tools.path}` })).toEqual({ found: true, path: join(tools.path, 'promtool') });
  });

  it('does not count a file that is not executable', () => {
    expect(findTool(CHECK_HTTP, { EDGE_CANARY_TOOL_PATH: tools.path }).found).toBe(false);
  });

  it('EDGE_CANARY_TOOL_PATH replaces the Debian path and PATH', () => {
    expect(findTool(PROMTOOL, { EDGE_CANARY_TOOL_PATH: empty.path, PATH: tools.path }).found).toBe(false);
  });

  it('falls back to PATH when the tool is not where Debian puts it', () => {
    expect(findTool(NOWHERE, { PATH: `${empty.path}:${tools.path}` })).toEqual({ found: true, path: join(tools.path, 'promtool') });
  });

  it('names the tool, the Debian package and what needs it when missing', () => {
    expect(findTool(CHROMIUM, { EDGE_CANARY_TOOL_PATH: empty.path })).toEqual({
      found: false,
      message: 'chromium not found: install the Debian package chromium (apt-get install -y chromium) for the HTML view in a real browser',
    });
  });
});

describe('requireTools', () => {
  it('returns the paths when every tool is there, printing nothing', () => {
    const lines: string[] = [];
    expect(requireTools([PROMTOOL], { EDGE_CANARY_TOOL_PATH: tools.path }, (line) => lines.push(line))).toEqual([join(tools.path, 'promtool')]);
    expect(lines).toEqual([]);
  });

  it('outside CI: undefined for each missing tool, and one printed line for each', () => {
    const lines: string[] = [];
    expect(requireTools([PROMTOOL, CHECK_HTTP, CHROMIUM], { EDGE_CANARY_TOOL_PATH: tools.path }, (line) => lines.push(line))).toEqual([join(tools.path, 'promtool'), undefined, undefined]);
    expect(lines).toEqual([
      'skipped: check_http not found: install the Debian package monitoring-plugins-basic (apt-get install -y monitoring-plugins-basic) for the check_http command test',
      'skipped: chromium not found: install the Debian package chromium (apt-get install -y chromium) for the HTML view in a real browser',
    ]);
  });

  it('under CI=true: a missing tool is an error naming each missing tool and package', () => {
    const lines: string[] = [];
    const call = () => requireTools([PROMTOOL, CHROMIUM], { EDGE_CANARY_TOOL_PATH: empty.path, CI: 'true' }, (line) => lines.push(line));
    expect(call).toThrow(/^CI=true and a required tool is missing: promtool not found: install the Debian package prometheus .*; chromium not found: install the Debian package chromium /);
    expect(lines).toEqual([]);
  });

  it.each([
    [undefined, false],
    ['', false],
    ['false', false],
    ['0', false],
    ['true', true],
    ['1', true],
  ])('CI=%j counts as CI: %s', (value, expected) => {
    expect(underCi({ CI: value })).toBe(expected);
  });
});

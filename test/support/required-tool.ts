/**
 * "This suite requires tool X from Debian package Y." On a laptop without the tool, the suite is
 * skipped with one printed line naming the tool and the package, so `npm ci && npm test` passes on
 * a fresh machine. Under CI (`CI=true`) a missing tool is a failure instead, so CI still proves every
 * suite that drives a real tool.
 *
 * Lookup: the Debian install path first, then every directory on PATH. `EDGE_CANARY_TOOL_PATH`
 * (directories separated by `:`) replaces both, so a test can prove the missing-tool paths by
 * pointing it at an empty directory.
 */
import { accessSync, constants } from 'node:fs';
import { basename, delimiter, dirname, join } from 'node:path';

export interface ToolSpec {
  /** What the skip line calls it, e.g. `promtool`. */
  name: string;
  /** Where the Debian package installs it, e.g. `/usr/bin/promtool`. */
  debianPath: string;
  debianPackage: string;
  /** Which tests need it, for the skip line, e.g. `the metrics lint`. */
  neededFor: string;
}

export const PROMTOOL: ToolSpec = { name: 'promtool', debianPath: '/usr/bin/promtool', debianPackage: 'prometheus', neededFor: 'the metrics and config lint' };
export const BLACKBOX_EXPORTER: ToolSpec = {
  name: 'prometheus-blackbox-exporter', debianPath: '/usr/bin/prometheus-blackbox-exporter',
  debianPackage: 'prometheus-blackbox-exporter', neededFor: 'the blackbox_exporter module test',
};
export const CHECK_HTTP: ToolSpec = { name: 'check_http', debianPath: '/usr/lib/nagios/plugins/check_http', debianPackage: 'monitoring-plugins-basic', neededFor: 'the check_http command test' };
export const JQ: ToolSpec = { name: 'jq', debianPath: '/usr/bin/jq', debianPackage: 'jq', neededFor: "docs/deploy.md's Fastly CLI script, run against a fake CLI" };
export const CHROMIUM: ToolSpec = { name: 'chromium', debianPath: '/usr/bin/chromium', debianPackage: 'chromium', neededFor: 'the HTML view in a real browser' };

export type ToolLookup =
  | { found: true; path: string }
  | { found: false; message: string };

export interface LookupEnvironment {
  EDGE_CANARY_TOOL_PATH?: string | undefined;
  PATH?: string | undefined;
  CI?: string | undefined;
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function candidates(tool: ToolSpec, env: LookupEnvironment): string[] {
  const file = basename(tool.debianPath);
  const override = env.EDGE_CANARY_TOOL_PATH;
  const dirs = override !== undefined ? override.split(delimiter) : [dirname(tool.debianPath), ...(env.PATH ?? '').split(delimiter)];
  return dirs.filter((dir) => dir !== '').map((dir) => join(dir, file));
}

/** CI providers set CI=true (GitHub Actions, GitLab, Buildkite, ...); `.ci/run` runs under it. */
export function underCi(env: LookupEnvironment): boolean {
  return env.CI !== undefined && env.CI !== '' && env.CI !== '0' && env.CI.toLowerCase() !== 'false';
}

export function findTool(tool: ToolSpec, env: LookupEnvironment = process.env): ToolLookup {
  const path = candidates(tool, env).find(executable);
  if (path !== undefined) return { found: true, path };
  return {
    found: false,
    message: `${tool.name} not found: install the Debian package ${tool.debianPackage} (apt-get install -y ${tool.debianPackage}) for ${tool.neededFor}`,
  };
}

/**
 * Each tool's path, or `undefined` for a missing one after printing one line naming it and its
 * package; under CI, an error naming every missing tool instead. Call it at module level and skip
 * the tests of a missing tool with `describe.skipIf(path === undefined)`.
 */
export function requireTools<const T extends readonly ToolSpec[]>(tools: T, env: LookupEnvironment = process.env, print: (line: string) => void = printSkipLine): { [K in keyof T]: string | undefined } {
  const lookups = tools.map((tool) => findTool(tool, env));
  const missing = lookups.flatMap((lookup) => (lookup.found ? [] : [lookup.message]));
  if (missing.length > 0 && underCi(env)) throw new Error(`CI=true and a required tool is missing: ${missing.join('; ')}`);
  for (const line of missing) print(`skipped: ${line}`);
  return lookups.map((lookup) => (lookup.found ? lookup.path : undefined)) as { [K in keyof T]: string | undefined };
}

function printSkipLine(line: string): void {
  process.stderr.write(`${line}\n`);
}

/**
 * Every CLI behaves alike (STYLE.md, DESIGN.md §6): `--help` prints the usage on stdout and exits 0;
 * a bad flag is one line `edge-canary <command>: ...` on stderr, then the usage, exit 1. The
 * commands and their files come from package.json, so a new CLI is covered by being added there.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, spawnScript } from '../support/spawn-script';

const NOT_CLIS = new Set(['build', 'typecheck', 'test', 'deploy']);

const scripts = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
const clis = Object.entries(scripts)
  .filter(([name]) => !NOT_CLIS.has(name))
  .map(([name, line]) => {
    const file = /^tsx (\S+\.ts)$/.exec(line)?.[1];
    if (file === undefined) throw new Error(`package.json script ${name} is not "tsx FILE": add it to NOT_CLIS or make it a CLI`);
    return { command: name, file, usage: name === 'start' ? 'usage: npm start' : `usage: npm run ${name}` };
  });

const run = (file: string, args: string[]) => spawnScript(file, args, { env: { PATH: process.env.PATH }, timeoutMs: 30_000 }).done;

describe.concurrent('every CLI', () => {
  it('covers the ten commands', () => {
    expect(clis.map((cli) => cli.command).sort()).toEqual(['bench', 'cdn', 'demo', 'emulator', 'gate', 'serve', 'start', 'statuspage', 'upload', 'verify']);
  });

  it.each(clis)('npm run $command -- --help: usage on stdout, exit 0', async ({ file, usage }) => {
    const result = await run(file, ['--help']);
    expect([result.code, result.stderr]).toEqual([0, '']);
    expect(result.stdout.startsWith(usage)).toBe(true);
  });

  it.each(clis)('npm run $command -- --no-such-flag: "edge-canary $command: ..." on stderr, exit 1', async ({ command, file }) => {
    const result = await run(file, ['--no-such-flag']);
    expect(result.code).toBe(1);
    expect(result.stderr.split('\n')[0]).toBe(`edge-canary ${command}: Unknown option '--no-such-flag'`);
    expect(result.stdout).toBe('');
  });
});

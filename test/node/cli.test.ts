import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { lines } from '../support/spawn-script';
import { makeTempDir } from '../support/temp-dir';
import type { TempDir } from '../support/temp-dir';
import { runCli, startCli } from './cli-process';
import type { RunningCli } from './cli-process';

let dir: TempDir;
let running: RunningCli | undefined;

beforeAll(() => {
  dir = makeTempDir('edge-canary-cli-');
});

afterEach(async () => {
  await running?.stop('SIGKILL');
  running = undefined;
});

afterAll(() => dir.remove());

describe('npm run serve', () => {
  it('serves the app from the manifest and stops cleanly on SIGTERM with exit 0', async () => {
    running = await startCli(['--manifest', 'fastly.toml', '--port', '0']);
    expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const live = await fetch(`${running.url}/live`);
    expect(live.status).toBe(200);

    const run = await running.stop('SIGTERM');
    running = undefined;
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`edge-canary listening on http://127.0.0.1:`);
    expect(run.stderr).toContain('(manifest fastly.toml)');
  });

  it('stops cleanly on SIGINT (Ctrl-C) too', async () => {
    running = await startCli(['--port', '0']);
    const run = await running.stop('SIGINT');
    running = undefined;
    expect(run.code).toBe(0);
  });

  it('a port in use is one line naming the port, exit 1', async () => {
    running = await startCli(['--port', '0']);
    const port = new URL(running.url).port;
    const run = await runCli(['--port', port]);
    expect(run.code).toBe(1);
    expect(lines(run.stderr)).toEqual([`edge-canary serve: port ${port} on 127.0.0.1 is already in use`]);
  });
});

describe.each([
  { name: 'missing', file: () => join(dir.path, 'absent.toml'), problem: 'file not found' },
  {
    name: 'malformed',
    file: () => dir.write('broken.toml', '[local_server.backends.gcs]\nurl = \n'),
    problem: 'TOML syntax error at line 2, column 7: invalid value',
  },
  {
    name: 'invalid',
    file: () => dir.write('nourl.toml', '[local_server.backends.gcs]\noverride_host = "x"\n'),
    problem: 'local_server.backends.gcs.url is missing',
  },
])('a $name manifest', ({ file, problem }) => {
  it('is one line on stderr naming the file and the problem, exit 1', async () => {
    const path = file();
    const run = await runCli(['--manifest', path, '--port', '0']);
    expect(run.code).toBe(1);
    expect(lines(run.stderr)).toEqual([`edge-canary serve: ${path}: ${problem}`]);
    expect(run.stdout).toBe('');
  });
});

describe.each([
  { args: ['--bogus'], problem: /^edge-canary serve: Unknown option '--bogus'/ },
  { args: ['--port', 'eighty'], problem: /^edge-canary serve: --port must be a number from 0 to 65535, got "eighty"$/ },
  { args: ['--port', '70000'], problem: /^edge-canary serve: --port must be a number from 0 to 65535, got "70000"$/ },
  { args: ['extra'], problem: /^edge-canary serve: Unexpected argument 'extra'/ },
])('flags $args', ({ args, problem }) => {
  it('print the problem and the usage line, exit 1', async () => {
    const run = await runCli(args);
    expect(run.code).toBe(1);
    const [first, usage] = lines(run.stderr);
    expect(first).toMatch(problem);
    expect(usage).toMatch(/^usage: npm run serve -- /);
  });
});

it('--help prints the usage on stdout, exit 0', async () => {
  const run = await runCli(['--help']);
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/^usage: npm run serve -- \[--manifest FILE\] \[--port N\]/);
});

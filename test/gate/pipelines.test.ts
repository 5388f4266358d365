/**
 * The pipeline examples: the workflow parses, Terraform never activates the production service, and
 * the gate and Fastly CLI commands they run exist with the flags they use.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseGateArgs } from '../../scripts/gate/args';
import { REPO_ROOT } from '../support/spawn-script';

const run = promisify(execFile);
const read = (file: string) => readFileSync(join(REPO_ROOT, file), 'utf8');

interface Step { name?: string; run?: string; uses?: string; if?: string; with?: Record<string, string>; 'working-directory'?: string }
interface Workflow { jobs: Record<string, { env: Record<string, string>; steps: Step[] }> }

/** The words of a shell command, with line continuations joined and $VARS replaced by sample values. */
function words(command: string, samples: Record<string, string>): string[] {
  const joined = command.replace(/\\\n/g, ' ').replace(/>\s*\S+/g, '');
  return [...joined.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => (m[1] ?? m[2] ?? '').replace(/\$\{?(\w+)\}?/g, (_all, name: string) => samples[name] ?? `$${name}`));
}

function gateArgs(command: string, samples: Record<string, string>): string[] {
  const all = words(command.slice(command.indexOf('npm run')), samples);
  return all.slice(all.indexOf('--') + 1);
}

/** Each `npm run` of a script whose stdout goes to a file (`>`, not `2>` or `>&2`), line continuations joined. */
function redirectedNpmRuns(script: string): string[] {
  return script.replace(/\\\n/g, ' ').split('\n').filter((line) => /\bnpm run\b/.test(line) && /(^|[^0-9&>])>(?!&)/.test(line));
}

/** `if:` as GitHub evaluates it, for the forms the workflow uses: always(), env.A == env.B, env.A != env.B, joined by &&. */
function runsWhen(condition: string | undefined, env: Record<string, string>): boolean {
  if (condition === undefined) return true;
  return condition.split('&&').every((term) => {
    const trimmed = term.trim();
    if (trimmed === 'always()') return true;
    const match = /^env\.(\w+)\s*(==|!=)\s*env\.(\w+)$/.exec(trimmed);
    if (!match) throw new Error(`the test does not understand the condition ${JSON.stringify(trimmed)}`);
    const [, left = '', operator, right = ''] = match;
    return (env[left] === env[right]) === (operator === '==');
  });
}

const samples = { SERVICE_ID: 'SU1Z0isxPaozGVKXdv0eY', DRAFT_VERSION: '42', VERSION: '42', CANARY_URL: 'https://files.example.org/edge-canary/canary.json' };

describe('deploy/pipelines/github-actions.yml', () => {
  const workflow = parse(read('deploy/pipelines/github-actions.yml')) as Workflow;
  const job = Object.values(workflow.jobs)[0];
  const steps = job?.steps ?? [];
  const gateStep = steps.find((s) => /npm run (--silent )?gate/.test(s.run ?? ''));

  it('applies Terraform with activate = false, then gates with --activate', () => {
    const apply = steps.findIndex((s) => s.run?.includes('terraform apply'));
    expect(steps[apply]?.run).toContain('-var activate=false');
    expect(steps.indexOf(gateStep ?? {})).toBeGreaterThan(apply);
    expect(steps[apply]?.run).toContain('terraform output -raw draft_version');
    expect(steps[apply]?.run).toContain('terraform output -raw active_version');
  });

  it('runs in the production service repository: edge-canary checked out beside it, npm steps inside it', () => {
    const checkouts = steps.filter((s) => s.uses?.startsWith('actions/checkout@'));
    expect(checkouts[0]?.with?.path).toBeUndefined();
    const canaryCheckout = checkouts.find((s) => s.with?.path === 'edge-canary');
    expect(canaryCheckout?.with?.repository).toMatch(/^[\w.-]+\/edge-canary$/);
    // On the runner, edge-canary/ is this repository; anything else is the production repository.
    const onRunner = (dir: string | undefined) => (dir === 'edge-canary' || dir?.startsWith('edge-canary/') ? join(REPO_ROOT, dir.slice('edge-canary'.length)) : null);
    const npmSteps = steps.filter((s) => /\bnpm\b/.test(s.run ?? ''));
    expect(npmSteps.map((s) => s.name)).toEqual([expect.stringMatching(/Install/), expect.stringMatching(/Gate/)]);
    for (const step of npmSteps) {
      const dir = onRunner(step['working-directory']);
      expect(dir, `${step.name}: working-directory`).not.toBeNull();
      expect(JSON.parse(readFileSync(join(dir ?? '', 'package.json'), 'utf8')).scripts.gate, `${step.name}: package.json with a gate script`).toBeDefined();
    }
    const terraform = steps.find((s) => s.run?.includes('terraform apply'))?.['working-directory'] ?? '';
    expect(onRunner(terraform), 'Terraform runs in the production repository').toBeNull();
    expect(existsSync(join(REPO_ROOT, terraform)), `${terraform} must not be a path that exists only in edge-canary`).toBe(false);
    const upload = steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'));
    expect(gateStep?.run).toContain(`> "$GITHUB_WORKSPACE/${upload?.with?.path}"`);
  });

  it('skips the gate, green, on a push that built no new draft, and gates a new one', () => {
    const running = (env: Record<string, string>) => steps.filter((s) => runsWhen(s.if, env)).map((s) => s.name ?? s.uses);
    const unchanged = running({ DRAFT_VERSION: '41', ACTIVE_VERSION: '41' });
    expect(unchanged).not.toContain(gateStep?.name);
    expect(unchanged).toContain('Nothing to gate (no new draft)');
    const changed = running({ DRAFT_VERSION: '42', ACTIVE_VERSION: '41' });
    expect(changed).toContain(gateStep?.name);
    expect(changed).not.toContain('Nothing to gate (no new draft)');
  });

  it('every npm run whose stdout goes to a file is --silent, so the file holds only the output', () => {
    const redirected = steps.flatMap((s) => redirectedNpmRuns(s.run ?? ''));
    expect(redirected.length).toBeGreaterThan(0);
    for (const line of redirected) expect(line, line).toMatch(/\bnpm run (--silent|-s)\b/);
  });

  it('runs the gate with flags it accepts, the token from the environment only', () => {
    const args = gateArgs(gateStep?.run ?? '', samples);
    expect(args).toContain('--activate');
    const options = parseGateArgs(args, { FASTLY_API_TOKEN: 'sample-token' });
    expect(options).toMatchObject({ serviceId: samples.SERVICE_ID, version: 42, activate: true, confirm: 3, json: true });
    expect(job?.env.FASTLY_API_TOKEN).toBe('${{ secrets.FASTLY_API_TOKEN }}');
    expect(gateStep?.run).not.toMatch(/TOKEN/);
  });
});

describe('deploy/pipelines/fastly-cli.sh', () => {
  const script = read('deploy/pipelines/fastly-cli.sh');

  it('is valid bash, and ends with the gate activating the draft', async () => {
    await run('bash', ['-n', join(REPO_ROOT, 'deploy/pipelines/fastly-cli.sh')]);
    const gateLine = script.split('\n').find((line) => line.startsWith('npm run --silent gate')) ?? '';
    const options = parseGateArgs(gateArgs(gateLine, samples), { FASTLY_API_TOKEN: 'sample-token' });
    expect(options).toMatchObject({ version: 42, activate: true });
    expect(script).not.toMatch(/service-version activate/);
  });

  it('every npm run whose stdout goes to a file is --silent', () => {
    for (const line of redirectedNpmRuns(script)) expect(line, line).toMatch(/\bnpm run (--silent|-s)\b/);
  });

  it('uses Fastly CLI commands and flags that exist', async () => {
    const commands = [...script.matchAll(/^(?:\S+=\$\()?npx fastly ([a-z-]+(?: [a-z-]+)*?) (--[^|)\n]*)/gm)];
    expect(commands.map((m) => m[1])).toEqual(['service-version clone', 'vcl snippet update']);
    for (const [, command = '', flags = ''] of commands) {
      const { stdout, stderr } = await run(join(REPO_ROOT, 'node_modules/.bin/fastly'), [...command.split(' '), '--help'], { timeout: 30_000 });
      const help = stdout + stderr;
      for (const flag of flags.match(/--[a-z-]+/g) ?? []) expect(help, `fastly ${command} ${flag}`).toContain(flag);
    }
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseSyncArgs } from '../../scripts/statuspage/args';
import { createRateLimiter } from '../../scripts/statuspage/rate-limiter';
import type { SyncDeps } from '../../scripts/statuspage/sync-loop';
import { runStatuspageSync } from '../../scripts/statuspage/sync-loop';
import type { FakeCanary } from './fake-canary';
import { startFakeCanary, unreachableUrl } from './fake-canary';
import type { FakeStatuspage } from './fake-statuspage';
import { startFakeStatuspage } from './fake-statuspage';

const KEY = 'sp-key-0123456789abcdef';

interface Run {
  code: number;
  out: string[];
  err: string[];
}

describe('statuspage sync (in process, fast rate limiter)', () => {
  let api: FakeStatuspage;
  let canaries: FakeCanary[];

  beforeEach(async () => {
    api = await startFakeStatuspage('page1', 'comp1', 'operational');
    canaries = await Promise.all([startFakeCanary(), startFakeCanary(), startFakeCanary()]);
  });
  afterEach(async () => {
    await Promise.all([api.close(), ...canaries.map((canary) => canary.close())]);
  });

  async function sync(urls: string[], flags: string[] = [], env: NodeJS.ProcessEnv = { STATUSPAGE_API_KEY: KEY }, deps: Partial<SyncDeps> = {}): Promise<Run> {
    const argv = [...urls.flatMap((url) => ['--health-url', url]), '--page-id', 'page1', '--component-id', 'comp1', '--api-base', api.apiBase, '--confirm-delay', '0.05', ...flags];
    const command = parseSyncArgs(argv, env);
    if (command.kind !== 'run') throw new Error('expected a run command');
    const run: Run = { code: -1, out: [], err: [] };
    run.code = await runStatuspageSync(command.options, {
      out: (line) => run.out.push(line),
      err: (line) => run.err.push(line),
      limiter: createRateLimiter(20),
      retry: { maxTries: 5, baseDelayMs: 20, maxDelayMs: 2000 },
      ...deps,
    });
    expect([...run.out, ...run.err].join('\n')).not.toContain(KEY);
    return run;
  }

  it('sets the component to the confirmed worst status and says so in one line', async () => {
    const [a, b] = canaries;
    a.behave('major_outage');
    b.behave('operational');
    const run = await sync([a.url, b.url]);
    expect(run.code).toBe(0);
    expect(api.patches().map((r) => r.body)).toEqual([{ component: { status: 'major_outage' } }]);
    expect(run.out).toEqual([
      `component comp1: operational -> major_outage (confirmed 2/2; worst of 2 canaries: ${a.url} major_outage, ${b.url} operational)`,
    ]);
  });

  it('reads the component first and sends no PATCH when it already matches', async () => {
    const run = await sync([canaries[0].url]);
    expect(run.code).toBe(0);
    expect(api.requests.map((r) => r.method)).toEqual(['GET']);
    expect(run.out).toEqual([`component comp1: operational, unchanged (confirmed 2/2; canary ${canaries[0].url} operational)`]);
  });

  it.each([
    { name: 'outage then recovery', sequence: ['major_outage', 'operational'] },
    { name: 'healthy then outage', sequence: ['operational', 'major_outage'] },
  ] as const)('does not act on a single flap ($name) with --confirm 2', async ({ sequence }) => {
    canaries[0].behave(...sequence);
    const run = await sync([canaries[0].url]);
    expect(run.code).toBe(0);
    expect(api.patches()).toEqual([]);
    expect(run.out[0]).toContain(`not changed, ${sequence[1]} seen in 1/2 independent checks, not yet confirmed`);
  });

  it('acts on the first reading with --confirm 1', async () => {
    canaries[0].behave('degraded_performance');
    const run = await sync([canaries[0].url], ['--confirm', '1']);
    expect(api.patches().map((r) => r.body)).toEqual([{ component: { status: 'degraded_performance' } }]);
    expect(run.out[0]).toContain('operational -> degraded_performance (confirmed 1/1;');
  });

  it('takes the worst of three vantage points', async () => {
    const [a, b, c] = canaries;
    a.behave('operational');
    b.behave('partial_outage');
    c.behave('degraded_performance');
    await sync([a.url, b.url, c.url]);
    expect(api.componentStatus).toBe('partial_outage');
  });

  it('ignores an unreachable canary while another answers, and names it on stderr', async () => {
    api.componentStatus = 'major_outage';
    const dead = await unreachableUrl();
    const run = await sync([dead, canaries[0].url]);
    expect(run.code).toBe(0);
    expect(api.componentStatus).toBe('operational');
    expect(run.err.some((line) => line.includes(dead) && line.includes('ECONNREFUSED'))).toBe(true);
    expect(run.out[0]).toContain(`${dead} unreachable, ${canaries[0].url} operational`);
  });

  it('leaves the page alone when every canary is unreachable, says why, and exits 2', async () => {
    const dead = [await unreachableUrl(), await unreachableUrl()];
    const run = await sync(dead);
    expect(run.code).toBe(2);
    expect(api.requests).toEqual([]);
    expect(run.out).toEqual([`component comp1: not changed: no canary can see, so the page is left as it is (all 2 canaries blind: ${dead[0]} unreachable, ${dead[1]} unreachable)`]);
    expect(run.err.at(-1)).toBe('edge-canary statuspage: every canary is blind (unreachable or misconfigured, see above): the page was left as it is; fix the canaries, a blind monitor is not an outage');
  });

  it('leaves the page alone when the canary reports misconfigured, says why, and exits 2', async () => {
    canaries[0].behave('misconfigured');
    const run = await sync([canaries[0].url], ['--confirm', '1']);
    expect(run.code).toBe(2);
    expect(api.requests).toEqual([]);
    expect(run.out[0]).toContain(`not changed: no canary can see, so the page is left as it is (canary ${canaries[0].url} misconfigured)`);
    expect(run.err[0]).toBe(`edge-canary statuspage: canary ${canaries[0].url} is blind: the canary reports misconfigured: config: bucket: required; fix its configuration (it cannot check the files until then)`);
  });

  it('ignores a misconfigured canary while another can see', async () => {
    canaries[0].behave('misconfigured');
    canaries[1].behave('partial_outage');
    const run = await sync([canaries[0].url, canaries[1].url]);
    expect(run.code).toBe(0);
    expect(api.componentStatus).toBe('partial_outage');
  });

  describe('confirmation counts checks, not readings', () => {
    it('one failed check read twice (a shared result) changes nothing', async () => {
      canaries[0].behave('major_outage', 'same_check');
      const run = await sync([canaries[0].url], ['--max-wait', '0.3']);
      expect(run.code).toBe(0);
      expect(api.requests).toEqual([]);
      expect(run.out).toEqual([
        `component comp1: not changed, major_outage seen in 1/2 independent checks, not yet confirmed; the last answer was a check already counted (canary ${canaries[0].url} major_outage)`,
      ]);
      expect(run.err.at(-1)).toContain('only 1 of 2 independent checks within --max-wait 0.3 s');
      expect(run.err.at(-1)).toContain('make --confirm-delay longer than result_ttl_ms');
    });

    it('waits past the repeats for a second independent check, then acts', async () => {
      canaries[0].behave('major_outage', 'same_check', 'major_outage');
      const run = await sync([canaries[0].url], ['--max-wait', '10']);
      expect(run.code).toBe(0);
      expect(api.patches().map((r) => r.body)).toEqual([{ component: { status: 'major_outage' } }]);
      expect(canaries[0].accepts).toHaveLength(3);
      expect(run.out[0]).toContain('operational -> major_outage (confirmed 2/2;');
    });
  });

  it('counts non-JSON answers as unreachable', async () => {
    canaries[0].behave('garbage');
    canaries[1].behave('degraded_performance');
    const run = await sync([canaries[0].url, canaries[1].url]);
    expect(api.componentStatus).toBe('degraded_performance');
    expect(run.err.some((line) => line.includes(canaries[0].url) && line.includes('not JSON'))).toBe(true);
  });

  it('--dry-run reads the component but sends no PATCH', async () => {
    canaries[0].behave('major_outage');
    const run = await sync([canaries[0].url], ['--dry-run']);
    expect(run.code).toBe(0);
    expect(api.requests.map((r) => r.method)).toEqual(['GET']);
    expect(run.out[0]).toContain('operational -> major_outage (dry run, not sent;');
  });

  it('--dry-run without a key touches no API at all', async () => {
    canaries[0].behave('major_outage');
    const run = await sync([canaries[0].url], ['--dry-run'], {});
    expect(run.code).toBe(0);
    expect(api.requests).toEqual([]);
    expect(run.out[0]).toContain('(not read) -> major_outage (dry run without STATUSPAGE_API_KEY');
  });

  it('leaves a component under maintenance alone', async () => {
    api.componentStatus = 'under_maintenance';
    canaries[0].behave('major_outage');
    const run = await sync([canaries[0].url]);
    expect(api.patches()).toEqual([]);
    expect(run.out[0]).toContain('under_maintenance, left alone (canaries say major_outage');
  });

  it('--json prints one machine-readable line per decision', async () => {
    canaries[0].behave('partial_outage');
    const run = await sync([canaries[0].url], ['--json']);
    expect(run.out).toHaveLength(1);
    expect(JSON.parse(run.out[0])).toMatchObject({
      pageId: 'page1',
      componentId: 'comp1',
      action: 'changed',
      from: 'operational',
      to: 'partial_outage',
      observed: 'partial_outage',
      seen: 2,
      confirm: 2,
      dryRun: false,
      allUnreachable: false,
      canaries: [{ url: canaries[0].url, status: 'partial_outage', httpStatus: 503 }],
    });
  });

  it('fails with exit 2 and a configuration message on 401', async () => {
    api.answerNext({ status: 401, body: '{"error":"Could not authenticate"}' });
    const run = await sync([canaries[0].url]);
    expect(run.code).toBe(2);
    expect(run.err.at(-1)).toBe('edge-canary statuspage: configuration problem: GET /v1/pages/page1/components/comp1 answered HTTP 401: the API key was not accepted; check STATUSPAGE_API_KEY');
  });

  describe('service mode (--interval)', () => {
    /** Runs the loop until `until` holds for a decision line, then stops it the way SIGTERM does. */
    async function serve(flags: string[], until: (decision: { action: string; to: string | null }) => boolean, extra: Partial<SyncDeps> = {}): Promise<Run & { actions: string[] }> {
      const stop = new AbortController();
      const actions: string[] = [];
      const run = await sync([canaries[0].url], ['--interval', '0.05', '--json', ...flags], undefined, {
        stopSignal: stop.signal,
        out: (line) => {
          const decision = JSON.parse(line) as { action: string; to: string | null };
          actions.push(decision.action);
          if (until(decision) || actions.length > 20) stop.abort();
        },
        ...extra,
      });
      return { ...run, actions };
    }

    it('keeps the streak across ticks: a flap is ignored, two in a row change the component', async () => {
      canaries[0].behave('operational', 'operational', 'major_outage', 'operational', 'major_outage', 'major_outage');
      const run = await serve([], (decision) => decision.action === 'changed');
      expect(run.code).toBe(0);
      expect(run.actions).toEqual(['not_confirmed', 'unchanged', 'not_confirmed', 'not_confirmed', 'not_confirmed', 'changed']);
      expect(api.patches().map((r) => r.body)).toEqual([{ component: { status: 'major_outage' } }]);
    });

    it('does not revert a status set by hand until the canaries see a change', async () => {
      canaries[0].behave('degraded_performance', 'degraded_performance', 'degraded_performance', 'operational');
      const run = await serve(['--confirm', '1'], (decision) => {
        // An incident commander overrides the sync's first write.
        if (decision.action === 'changed' && api.componentStatus === 'degraded_performance') api.componentStatus = 'major_outage';
        return decision.action === 'changed' && api.componentStatus === 'operational';
      });
      expect(run.actions).toEqual(['changed', 'left_as_set', 'left_as_set', 'changed']);
      expect(api.patches().map((r) => r.body)).toEqual([{ component: { status: 'degraded_performance' } }, { component: { status: 'operational' } }]);
    });

    it('writes the confirmed status once the component shows again what the sync last wrote', async () => {
      api.componentStatus = 'degraded_performance';
      canaries[0].behave('operational', 'major_outage');
      const run = await serve(['--confirm', '1'], (decision) => {
        // Maintenance starts after the sync wrote operational, and ends by putting operational back.
        if (decision.action === 'changed' && decision.to === 'operational') api.componentStatus = 'under_maintenance';
        if (decision.action === 'left_in_maintenance') api.componentStatus = 'operational';
        return decision.action === 'changed' && decision.to === 'major_outage';
      });
      expect(run.actions).toEqual(['changed', 'left_in_maintenance', 'changed']);
      expect(api.patches().map((r) => r.body)).toEqual([{ component: { status: 'operational' } }, { component: { status: 'major_outage' } }]);
    });

    it('leaves the page alone on a blind tick and carries on', async () => {
      canaries[0].behave('major_outage', 'misconfigured', 'major_outage');
      const run = await serve([], (decision) => decision.action === 'changed');
      expect(run.actions).toEqual(['not_confirmed', 'blind', 'changed']);
      expect(run.err.some((line) => line.includes('every canary is blind: the page is left as it is until one can see again'))).toBe(true);
    });

    it('reports a failed API step and carries on at the next tick', async () => {
      canaries[0].behave('major_outage');
      api.answerNext({ status: 503 }, { status: 503 });
      const err: string[] = [];
      const run = await serve(['--confirm', '1'], (decision) => decision.action === 'changed', {
        retry: { maxTries: 2, baseDelayMs: 10, maxDelayMs: 100 },
        err: (line) => err.push(line),
      });
      expect(run.code).toBe(0);
      expect(err.some((line) => line.includes('still answered HTTP 503 after 2 tries; giving up; trying again next tick'))).toBe(true);
      expect(api.componentStatus).toBe('major_outage');
    });

    it('stops with exit 2 on a configuration problem', async () => {
      api.answerNext({ status: 404 });
      const run = await serve(['--confirm', '1'], () => false);
      expect(run.code).toBe(2);
      expect(run.err.at(-1)).toContain('page page1 or component comp1 does not exist');
    });
  });
});

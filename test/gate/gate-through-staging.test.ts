/**
 * The 2022 incident replayed as a gate: the production service's drafts staged on a local staging
 * network (the local production CDN run as the draft), read as the canary's edge check reads, and
 * activated on production only when every reading passes.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/node/cli-kit';
import { ACTIVE_VERSION, DRAFTS, GATE_KEY, GATE_WRONG_SECRET, startGateStack, type GateStack } from '../../scripts/demo/gate-stack';
import { activations, gate, registerGateToken, TEST_FASTLY_TOKEN } from './gate-support';

let stack: GateStack;
beforeAll(registerGateToken);
beforeEach(async () => {
  stack = await startGateStack({ token: TEST_FASTLY_TOKEN, stagingHost: '127.0.0.2' });
});
afterEach(() => stack.close());

function expectNothingSecret(said: string[]): void {
  const text = said.join('\n');
  for (const value of [GATE_WRONG_SECRET, GATE_KEY.secret, GATE_KEY.accessId, TEST_FASTLY_TOKEN]) expect(text).not.toContain(value);
}

describe('the gate blocks the drafts that would have broken production', () => {
  it('blocks the wrong secret with auth_failed SignatureDoesNotMatch via staging and never calls activate', async () => {
    const { report, said } = await gate(stack, { version: DRAFTS.wrongSecret.number });
    expect(report).toMatchObject({ result: 'blocked', reason: 'auth_failed SignatureDoesNotMatch via staging', activated: false, stagingDeactivated: true });
    expect(report.readings.map((r) => [r.reason, r.httpStatus, r.errorCode])).toEqual(Array(3).fill(['auth_failed', 403, 'SignatureDoesNotMatch']));
    expect(activations(stack)).toEqual(['42/activate/staging', '42/deactivate/staging']);
    expect(stack.api.activeVersion()).toBe(ACTIVE_VERSION);
    expect(stack.api.stagedVersion()).toBeNull();
    // The changed snippet is named and flagged; its text (the wrong secret) is never shown.
    expect(report.changes).toEqual([{ kind: 'snippet', name: 'gcs_sign', change: 'changed', fields: ['content'], mayHoldCredential: true }]);
    expect(said).toContain('  snippet gcs_sign: changed (content; looks like it holds a credential: text not shown)');
    expectNothingSecret(said);
  });

  it('blocks a draft that caches the canary: the second reading is served_from_cache', async () => {
    const { report, said } = await gate(stack, { version: DRAFTS.cachesCanary.number });
    expect(report).toMatchObject({ result: 'blocked', reason: 'served_from_cache via staging', evidence: 'reading 2 of 3: served_from_cache (X-Cache: HIT)' });
    expect(report.readings[0]?.status).toBe('pass');
    expect(activations(stack)).not.toContain('43/activate');
    expect(said).toContain('  snippet edge_canary_recv: removed');
  });

  it('blocks a draft that falls back to the archive for the canary: served_by_fallback', async () => {
    const { report } = await gate(stack, { version: DRAFTS.fallsBack.number });
    expect(report).toMatchObject({ result: 'blocked', reason: 'served_by_fallback via staging', evidence: 'reading 1 of 3: served_by_fallback (Fastly-Restarts: 1)' });
    expect(activations(stack)).toEqual(['44/activate/staging', '44/deactivate/staging']);
    expect(report.changes?.map((c) => `${c.kind} ${c.name} ${c.change}`).sort()).toEqual([
      'backend archive added', 'snippet archive_fallback added', 'snippet edge_canary_recv removed', 'snippet gcs_sign changed',
    ]);
  });
});

describe('a good draft', () => {
  it('is activated exactly once, then read through production', async () => {
    const { report, said } = await gate(stack, { version: DRAFTS.good.number });
    expect(report).toMatchObject({ result: 'activated', reason: 'ok', activated: true, production: { status: 'pass', reason: 'ok' } });
    expect(report.readings.map((r) => r.status)).toEqual(['pass', 'pass', 'pass']);
    expect(activations(stack)).toEqual(['45/activate/staging', '45/activate']);
    expect(stack.api.activeVersion()).toBe(45);
    expect(report.changes).toEqual([{ kind: 'backend', name: 'gcs', change: 'changed', fields: ['max_conn'], mayHoldCredential: false }]);
    expect(report.staging).toEqual({ host: '127.0.0.2', port: stack.networks.port('production'), source: 'api' });
    expectNothingSecret(said);
  });

  it('reports a production failure after activation with the rollback command, and exits as failed', async () => {
    // Production stops answering right after the activation: what staging proved does not hold there.
    const onSay = (line: string) => {
      if (line === 'version 45 activated on production') void stack.networks.deactivate('production');
    };
    const { report } = await gate(stack, { version: DRAFTS.good.number }, { onSay });
    expect(report).toMatchObject({ result: 'failed', reason: 'origin_error via production after activation', activated: true });
    expect(report.notes).toContain(`production fails after activating 45: roll back with  fastly service-version activate --service-id ${report.serviceId} --version 41`);
  });

  it('without --activate passes and stays on staging, and production is untouched', async () => {
    const { report } = await gate(stack, { version: DRAFTS.good.number, activate: false });
    expect(report).toMatchObject({ result: 'passed', activated: false, production: null });
    expect(activations(stack)).toEqual(['45/activate/staging']);
    expect(stack.api.activeVersion()).toBe(ACTIVE_VERSION);
  });

  it('fails (not passes) when staging serves nothing: a read that never reached the draft proves nothing', async () => {
    await stack.networks.close();
    const { report } = await gate(stack, { version: DRAFTS.good.number });
    expect(report.result).toBe('blocked');
    expect(report.reason).toMatch(/^connect_failed via staging$/);
    expect(activations(stack)).not.toContain('45/activate');
  });
});

describe('an interrupted gate', () => {
  it('never activates and takes the version off staging, even during a long --settle', async () => {
    const stop = new AbortController();
    const onSay = (line: string) => {
      if (line.startsWith('version 45 activated on staging')) stop.abort();
    };
    const { report } = await gate(stack, { version: DRAFTS.good.number, settleMs: 60_000 }, { onSay, signal: stop.signal });
    expect(report).toMatchObject({ result: 'failed', reason: 'interrupted after 0 of 3 readings', activated: false, stagingDeactivated: true });
    expect(activations(stack)).toEqual(['45/activate/staging', '45/deactivate/staging']);
  });
});

describe('a release whose change is versionless', () => {
  it('passes (staging reads what production reads) and says that staging could not test the change', async () => {
    const { report, said } = await gate(stack, { version: DRAFTS.storeOnly.number, activate: false });
    expect(report).toMatchObject({ result: 'passed', changes: [] });
    expect(said).toContain('  none: no versioned change');
    const noChange = report.notes.find((note) => note.startsWith('no versioned change between 41 and 46'));
    const general = report.notes.find((note) => note.includes('are versionless'));
    // Every versionless kind Fastly has, in both notes: a dynamic snippet holding the credential is as ungated as a store entry.
    for (const kind of ['Secret Store entr', 'Config Store entr', 'dynamic VCL snippet', 'edge dictionary item']) {
      expect(noChange, kind).toContain(kind);
      expect(general, kind).toContain(kind);
    }
    expect(noChange).toMatch(/staging cannot test it/);
  });
});

describe('the staging address', () => {
  it('comes from --connect-to when the API gives no staging IP', async () => {
    await stack.close();
    stack = await startGateStack({ token: TEST_FASTLY_TOKEN });
    await expect(gate(stack, { version: DRAFTS.good.number })).rejects.toThrow(UsageError);
    await expect(gate(stack, { version: DRAFTS.good.number })).rejects.toThrow(/no staging IP .* pass --connect-to/);
    expect(activations(stack)).toEqual([]);
    const staging = { host: '127.0.0.1', port: stack.networks.port('staging') };
    const { report } = await gate(stack, { version: DRAFTS.good.number, connectTo: staging });
    expect(report).toMatchObject({ result: 'activated', staging: { ...staging, source: 'connect-to' } });
  });

  it('refuses a URL whose host is not a domain of the service', async () => {
    const url = new URL(stack.canaryUrl.replace('127.0.0.1', 'localhost'));
    await expect(gate(stack, { version: DRAFTS.good.number, url })).rejects.toThrow(/localhost is not a domain of service/);
  });
});

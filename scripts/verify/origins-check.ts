/**
 * Each selected origin read as the edge reads it (the service's loadSettings and probeOrigin), and
 * judged on its own: the canary caps a fallback's failure at warn because users do not read it
 * yet, but a credential about to be deployed either opens its bucket or it does not.
 */
import { adviseReport } from '../../src/core/advice';
import { reportSettings } from '../../src/core/check';
import { loadSettings } from '../../src/core/load-settings';
import type { OriginConfig } from '../../src/core/origins';
import { probeOrigin } from '../../src/core/probe';
import { buildReport, worstStatus } from '../../src/core/verdict';
import { CONFIG_STORE, SECRET_STORE, type CheckStatus, type Credential, type TargetResult } from '../../src/core/types';
import { createNodePlatform } from '../../src/node/platform';
import type { OriginsVerifyOptions } from './origins-options';

export interface OriginVerdict {
  origin: OriginConfig;
  /** Uncapped: a fallback that cannot be read is `fail` here. */
  status: CheckStatus;
  result: TargetResult;
  credential: Credential | null;
  /** What to do, from the canary's action table; `none needed` when it passed. */
  action: string;
}

export type OriginsOutcome = { ok: true; checkedAt: string; verdicts: OriginVerdict[] } | { ok: false; errors: string[] };

export async function verifyOrigins(options: OriginsVerifyOptions): Promise<OriginsOutcome> {
  const secrets = new Map([...options.secrets].map(([name, value]) => [name, { kind: 'value' as const, value }]));
  const platform = createNodePlatform(
    {
      file: '(verify)',
      backends: options.backends,
      configStores: new Map([[CONFIG_STORE, new Map(Object.entries({ ...options.config, result_ttl_ms: '0' }))]]),
      secretStores: new Map([[SECRET_STORE, secrets]]),
    },
    { pop: 'verify', releaseId: 'verify', log: () => undefined },
  );
  try {
    const loaded = await loadSettings(platform, (origin) => options.selected.includes(origin.target));
    if (!loaded.ok) return { ok: false, errors: loaded.errors };
    const { settings } = loaded;
    const started = platform.now();
    const deadlineAt = started + settings.config.deadlineMs;
    // All at once inside one deadline, as the edge does.
    const results = await Promise.all(settings.origins.map(({ origin, credentials }) => probeOrigin({ platform, config: settings.config, origin, credentials, deadlineAt })));
    const checkedAt = new Date(started).toISOString();
    // The action table reads each target's settings; a fallback's actions are the same capped or not.
    const report = { ...buildReport(results, { pop: 'verify', releaseId: 'verify', checkedAt, durationMs: platform.now() - started, credential: settings.credential }), ...reportSettings(settings) };
    const advice = adviseReport(report);
    const verdicts = results.map((result, index): OriginVerdict => {
      const status = worstStatus([result.fetch.status, result.freshness.status]);
      const actions = advice.targets[index]!;
      return {
        origin: settings.origins[index]!.origin,
        status,
        result,
        credential: settings.origins[index]!.credential,
        action: result.fetch.status !== 'pass' ? actions.fetch : actions.freshness,
      };
    });
    return { ok: true, checkedAt, verdicts };
  } finally {
    platform.close();
  }
}

import { afterEach, expect, it } from 'vitest';
import { probeCanary } from '../../scripts/demo/monitors';
import { startIncidentStack, type IncidentStack, type StackOptions } from '../../scripts/demo/stack';
import type { Runtime } from '../../scripts/stack/runtime';
import { describeOnRuntimes } from '../support/runtimes';

const clock = () => 0;
let stack: IncidentStack | undefined;

afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

async function stackWith(runtime: Runtime, cdn: StackOptions['cdn']) {
  stack = await startIncidentStack({ runtime, resultTtlMs: 0, deadlineMs: 2000, cdn });
  return stack;
}

describeOnRuntimes('origin fine, edge broken: Statuspage partial_outage', (runtime) => {
  it("the production CDN's own copy of the secret is wrong", async () => {
    const { healthUrl, packageUrl } = await stackWith(runtime, { secret: 'YS1kaWZmZXJlbnQtc2VjcmV0LXRoYW4tdGhlLWJ1Y2tldHM=' });
    const seen = await probeCanary(healthUrl, clock);
    expect(seen).toMatchObject({ httpStatus: 503, reason: 'auth_failed', errorCode: 'SignatureDoesNotMatch', statuspage: 'partial_outage', failing: ['edge'] });
    // Nothing cached yet for a new file: users see the 403 the canary reports.
    expect((await fetch(packageUrl.replace('example-1.0', 'example-2.0'))).status).toBe(403);
  });

  it('the production CDN serves the canary from cache (no canary rule, TTL forced on the bucket)', async () => {
    const { healthUrl } = await stackWith(runtime, { canaryRule: false, cachePolicy: 'service-ttl' });
    expect((await probeCanary(healthUrl, clock)).ok).toBe(true);
    const seen = await probeCanary(healthUrl, clock);
    expect(seen).toMatchObject({ httpStatus: 503, reason: 'served_from_cache', statuspage: 'partial_outage', failing: ['edge'] });
  });
});

import type { CanaryReading, Decision, Observation } from './decide';

/** The one human line per decision, e.g. `component C: operational -> major_outage (confirmed 2/2; ...)`. */
export function formatDecisionText(decision: Decision): string {
  const { componentId, action, from, to, streak, confirm, observation } = decision;
  const confirmed = `confirmed ${Math.min(streak.count, confirm)}/${confirm}`;
  const canaries = describeCanaries(observation);
  const head = `component ${componentId}:`;
  switch (action) {
    case 'changed':
      return `${head} ${from} -> ${to} (${confirmed}; ${canaries})`;
    case 'would_change':
      return from === null
        ? `${head} (not read) -> ${to} (dry run without STATUSPAGE_API_KEY: component not read, nothing sent; ${confirmed}; ${canaries})`
        : `${head} ${from} -> ${to} (dry run, not sent; ${confirmed}; ${canaries})`;
    case 'unchanged':
      return `${head} ${from}, unchanged (${confirmed}; ${canaries})`;
    case 'left_in_maintenance':
      return `${head} under_maintenance, left alone (canaries say ${streak.status}; ${confirmed}; ${canaries})`;
    case 'not_confirmed':
      return `${head} not changed, ${streak.status} seen ${streak.count}/${confirm}, not yet confirmed (${canaries})`;
  }
}

/** The same decision as one JSON line for machines. */
export function formatDecisionJson(decision: Decision, time: Date): string {
  return JSON.stringify({
    time: time.toISOString(),
    pageId: decision.pageId,
    componentId: decision.componentId,
    action: decision.action,
    from: decision.from,
    to: decision.to,
    observed: decision.streak.status,
    seen: decision.streak.count,
    confirm: decision.confirm,
    dryRun: decision.dryRun,
    allUnreachable: decision.observation.allUnreachable,
    canaries: decision.observation.readings.map(readingToJson),
  });
}

function readingToJson(reading: CanaryReading): Record<string, unknown> {
  return reading.reachable
    ? { url: reading.url, status: reading.status, httpStatus: reading.httpStatus }
    : { url: reading.url, status: null, problem: reading.problem };
}

function describeCanaries(observation: Observation): string {
  const { readings, allUnreachable } = observation;
  if (readings.length === 1) {
    const only = readings[0];
    return allUnreachable ? `canary ${only.url} unreachable, counted as major_outage` : `canary ${describeReading(only)}`;
  }
  const list = readings.map(describeReading).join(', ');
  return allUnreachable
    ? `all ${readings.length} canaries unreachable, counted as major_outage: ${list}`
    : `worst of ${readings.length} canaries: ${list}`;
}

function describeReading(reading: CanaryReading): string {
  return `${reading.url} ${reading.reachable ? reading.status : 'unreachable'}`;
}

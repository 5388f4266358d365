import type { CanaryReading, Decision, Observation } from './decide';

/** The one human line per decision, e.g. `component C: operational -> major_outage (confirmed 2/2; ...)`. */
export function formatDecisionText(decision: Decision): string {
  const { componentId, action, from, to, streak, confirm, observation, repeat, lastWritten } = decision;
  const count = streak === null ? 0 : Math.min(streak.count, confirm);
  const confirmed = `confirmed ${count}/${confirm}`;
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
      return `${head} under_maintenance, left alone (canaries say ${streak?.status}; ${confirmed}; ${canaries})`;
    case 'left_as_set':
      return (
        `${head} ${from} set by someone else, left alone until the canaries' status changes ` +
        `(canaries still say ${streak?.status}; the sync last wrote ${lastWritten ?? 'nothing'}; ${canaries})`
      );
    case 'not_confirmed': {
      const seen = `${streak?.status} seen in ${streak?.count ?? 0}/${confirm} independent checks`;
      const again = repeat ? '; the last answer was a check already counted' : '';
      return `${head} not changed, ${seen}, not yet confirmed${again} (${canaries})`;
    }
    case 'blind':
      return `${head} not changed: no canary can see, so the page is left as it is (${canaries})`;
  }
}

/** The same decision as one JSON line for machines. */
export function formatDecisionJson(decision: Decision, time: Date): string {
  const { observation } = decision;
  return JSON.stringify({
    time: time.toISOString(),
    pageId: decision.pageId,
    componentId: decision.componentId,
    action: decision.action,
    from: decision.from,
    to: decision.to,
    observed: observation.status,
    streak: decision.streak?.status ?? null,
    seen: decision.streak?.count ?? 0,
    confirm: decision.confirm,
    repeat: decision.repeat,
    lastWritten: decision.lastWritten,
    dryRun: decision.dryRun,
    blind: observation.status === null,
    allUnreachable: observation.readings.every((reading) => reading.kind === 'unreachable'),
    canaries: observation.readings.map(readingToJson),
  });
}

function readingToJson(reading: CanaryReading): Record<string, unknown> {
  return reading.kind === 'status'
    ? { url: reading.url, status: reading.status, httpStatus: reading.httpStatus, checkedAt: reading.checkedAt }
    : { url: reading.url, status: null, blind: reading.kind, problem: reading.problem };
}

function describeCanaries(observation: Observation): string {
  const { readings, status } = observation;
  if (readings.length === 1) return `canary ${describeReading(readings[0]!)}`;
  const list = readings.map(describeReading).join(', ');
  return status === null ? `all ${readings.length} canaries blind: ${list}` : `worst of ${readings.length} canaries: ${list}`;
}

function describeReading(reading: CanaryReading): string {
  return `${reading.url} ${reading.kind === 'status' ? reading.status : reading.kind}`;
}

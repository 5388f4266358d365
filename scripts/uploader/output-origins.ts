/** What `npm run upload --origins` prints: a line per origin (failures on stderr), or one JSON line per tick. */
import { formatWriteResult } from './output';
import type { OriginsTick } from './write-origins';

export interface TickLines {
  stdout: string[];
  stderr: string[];
}

export function formatOriginsTick(tick: OriginsTick, json: boolean): TickLines {
  if (json) {
    const origins = tick.outcomes.map((outcome) =>
      outcome.ok
        ? {
            origin: outcome.name,
            target: outcome.target,
            ok: true,
            ...(JSON.parse(formatWriteResult(outcome.result, true)) as Record<string, unknown>),
            version_kind: outcome.result.versionKind ?? 'generation',
          }
        : { origin: outcome.name, target: outcome.target, ok: false, failure: outcome.error.kind, error: outcome.error.message },
    );
    const written = tick.outcomes.filter((o) => o.ok).length;
    return { stdout: [JSON.stringify({ sequence: tick.sequence, written_at: tick.writtenAt, written, failed: tick.outcomes.length - written, origins })], stderr: [] };
  }
  const lines: TickLines = { stdout: [], stderr: [] };
  for (const outcome of tick.outcomes) {
    if (outcome.ok) lines.stdout.push(`origin ${outcome.name}: ${formatWriteResult(outcome.result, false)}`);
    else lines.stderr.push(`origin ${outcome.name}: NOT written (${outcome.error.kind}): ${outcome.error.message}`);
  }
  return lines;
}

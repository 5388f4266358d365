/** The fleet view's metrics: one series set per shield, labelled `shield`; present only with scope=fleet. */
import { CHECK_STATUSES, type CheckStatus, type Report } from '../types';
import type { MetricSpec, Sample } from './prometheus';

const gauge = (help: string): MetricSpec => ({ type: 'gauge', help });

/** The order here is the order of the output, after the POP's own metrics. */
export const FLEET_METRICS = {
  edge_canary_fleet_shields: gauge('Shields listed in the config key shields, each asked for its own check (or, on the shield this POP runs on, checked here).'),
  edge_canary_fleet_failing_shields: gauge('Listed shields whose check is fail, or that gave no usable answer within deadline_ms.'),
  edge_canary_shield_up: gauge("1 when the shield's check is pass or warn, 0 when it is fail or gave no usable answer."),
  edge_canary_shield_status: gauge("Status of each shield's check: 1 on the current status (pass, warn or fail), 0 on the others."),
  edge_canary_shield_reason: gauge("Reason code of each shield's check (or of the failed hop to it); one series per shield, always 1."),
  edge_canary_shield_duration_seconds: gauge('Wall time of asking the shield (its own check included), in seconds; the local check when this POP is that shield.'),
  edge_canary_shield_info: gauge('Which POP answered for the shield (none when no usable answer came) and whether it was this POP (local) or the shield (remote); always 1.'),
} satisfies Record<string, MetricSpec>;

export function fleetSamples(report: Report): Sample[] {
  const samples: Sample[] = [];
  if (!report.fleet) return samples;
  samples.push(
    { metric: 'edge_canary_fleet_shields', labels: {}, value: report.fleet.shieldCount },
    { metric: 'edge_canary_fleet_failing_shields', labels: {}, value: report.fleet.failingShields },
  );
  for (const site of report.fleet.sites) {
    if (site.shield === null) continue;
    const shield = site.shield;
    samples.push(
      { metric: 'edge_canary_shield_up', labels: { shield }, value: site.status === 'fail' ? 0 : 1 },
      ...CHECK_STATUSES.map((status): Sample => ({ metric: 'edge_canary_shield_status', labels: { shield, status }, value: site.status === status ? 1 : 0 })),
      { metric: 'edge_canary_shield_reason', labels: { shield, reason: site.reason }, value: 1 },
      { metric: 'edge_canary_shield_duration_seconds', labels: { shield }, value: site.durationMs / 1000 },
      { metric: 'edge_canary_shield_info', labels: { shield, pop: site.pop ?? 'none', answered_by: site.answeredBy }, value: 1 },
    );
  }
  return samples;
}

/**
 * Prometheus text exposition format 0.0.4 of a Report. Every metric is declared up front and every
 * series is present on every scrape (NaN where a value is unknown), so alert rules never have to
 * guess whether a missing series means "healthy" or "broken".
 */
import { targetKind } from '../targets';
import { CHECK_STATUSES, type CheckStatus, type Reason, type Report, type Target, type TargetResult } from '../types';
import { FLEET_METRICS, fleetSamples } from './fleet-prometheus';

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export interface MetricSpec {
  type: 'gauge';
  help: string;
}

const gauge = (help: string): MetricSpec => ({ type: 'gauge', help });

/** The order here is the order of the output. */
export const METRICS = {
  edge_canary_up: gauge('1 when the overall status of the deep check is pass or warn, 0 when it is fail.'),
  edge_canary_status: gauge('Overall status of the deep check: 1 on the current status (pass, warn or fail), 0 on the others.'),
  edge_canary_check_success: gauge('1 when the check (fetch or freshness of a target) passed (reason ok), 0 otherwise: a fail, or a warn such as a stale copy or an unreadable fallback.'),
  edge_canary_check_status: gauge('Status of each check: 1 on the current status (pass, warn or fail), 0 on the others.'),
  edge_canary_check_reason: gauge("Reason code of the target: its first non-ok check's reason, or ok; one series per target, always 1."),
  edge_canary_check_duration_seconds: gauge("Wall time of the target's fetch, all attempts included, in seconds; NaN when it did not run."),
  edge_canary_http_status_code: gauge("HTTP status of the target's last fetch attempt; NaN when no response was received."),
  edge_canary_object_age_seconds: gauge('Age of the canary object the target served (now - written_at), in seconds; NaN when unknown.'),
  edge_canary_attempts: gauge('Fetch attempts made for the target, retries included; 0 when it did not run.'),
  edge_canary_info: gauge('Which POP and release answered; always 1.'),
  edge_canary_result_shared: gauge('1 when this answer reused a deep check run for another request, 0 when it ran for this one.'),
  edge_canary_checked_timestamp_seconds: gauge('When the deep check ran, in seconds since the Unix epoch.'),
  edge_canary_probe_duration_seconds: gauge('Wall time of the whole deep check, all targets, in seconds.'),
  edge_canary_config_valid: gauge('1 when the configuration is valid, 0 when it is misconfigured (/health names the keys at fault).'),
} satisfies Record<string, MetricSpec>;

type MetricName = keyof typeof METRICS;

export interface Sample {
  metric: MetricName | keyof typeof FLEET_METRICS;
  labels: Record<string, string>;
  value: number;
}

const SERVICE = 'edge-canary';

export function renderPrometheus(report: Report): string {
  const samples = [...reportSamples(report), ...allTargetSamples(report), ...fleetSamples(report)];
  const lines: string[] = [];
  const metrics = report.fleet ? { ...METRICS, ...FLEET_METRICS } : METRICS;
  for (const [metric, spec] of Object.entries(metrics)) {
    lines.push(`# HELP ${metric} ${escapeHelp(spec.help)}`, `# TYPE ${metric} ${spec.type}`);
    for (const sample of samples) {
      if (sample.metric === metric) lines.push(formatSample(sample));
    }
  }
  return lines.join('\n') + '\n';
}

function reportSamples(report: Report): Sample[] {
  const configValid = report.configErrors.length === 0 && report.reason !== 'misconfigured';
  return [
    { metric: 'edge_canary_up', labels: {}, value: flag(report.status !== 'fail') },
    ...CHECK_STATUSES.map((status): Sample => ({ metric: 'edge_canary_status', labels: { status }, value: flag(report.status === status) })),
    { metric: 'edge_canary_info', labels: { pop: report.pop, release_id: report.releaseId, service: SERVICE }, value: 1 },
    { metric: 'edge_canary_result_shared', labels: {}, value: flag(report.shared) },
    { metric: 'edge_canary_checked_timestamp_seconds', labels: {}, value: Date.parse(report.checkedAt) / 1000 },
    { metric: 'edge_canary_probe_duration_seconds', labels: {}, value: report.durationMs / 1000 },
    { metric: 'edge_canary_config_valid', labels: {}, value: flag(configValid) },
  ];
}

/**
 * Every origin checked (`origin`, or `origin:primary`, `origin:fallback`...) and the edge when it was
 * checked; with no result at all (misconfigured), an `origin` target, so alert rules stay simple.
 */
function allTargetSamples(report: Report): Sample[] {
  if (!report.results.some((r) => targetKind(r.fetch.target) === 'origin')) {
    return [...targetSamples(report, 'origin', null), ...report.results.flatMap((r) => targetSamples(report, r.fetch.target, r))];
  }
  return report.results.flatMap((r) => targetSamples(report, r.fetch.target, r));
}

/** A target that never ran (`result` null) reports the report's own status and reason, and NaN. */
function targetSamples(report: Report, target: Target, result: TargetResult | null): Sample[] {
  const checks = [
    { check: 'fetch', status: result?.fetch.status ?? report.status },
    { check: 'freshness', status: result?.freshness.status ?? report.status },
  ];
  const reason = result ? targetReason(result) : report.reason;
  return [
    ...checks.map(({ check, status }): Sample => ({
      metric: 'edge_canary_check_success',
      labels: { target, check },
      // A warn is not a success: an unreadable fallback is warn (it must not page) but its read failed.
      value: flag(status === 'pass'),
    })),
    ...checks.flatMap(({ check, status: current }) =>
      CHECK_STATUSES.map((status): Sample => ({
        metric: 'edge_canary_check_status',
        labels: { target, check, status },
        value: flag(current === status),
      })),
    ),
    { metric: 'edge_canary_check_reason', labels: { target, reason }, value: 1 },
    { metric: 'edge_canary_check_duration_seconds', labels: { target }, value: result ? result.fetch.durationMs / 1000 : NaN },
    { metric: 'edge_canary_http_status_code', labels: { target }, value: result?.fetch.httpStatus ?? NaN },
    { metric: 'edge_canary_object_age_seconds', labels: { target }, value: result?.freshness.ageSeconds ?? NaN },
    { metric: 'edge_canary_attempts', labels: { target }, value: result?.fetch.attempts ?? 0 },
  ];
}

function targetReason(result: TargetResult): Reason {
  if (result.fetch.reason !== 'ok') return result.fetch.reason;
  return result.freshness.reason;
}

function flag(condition: boolean): number {
  return condition ? 1 : 0;
}

function formatSample({ metric, labels, value }: Sample): string {
  const pairs = Object.entries(labels).map(([name, v]) => `${name}="${escapeLabelValue(v)}"`);
  const labelText = pairs.length > 0 ? `{${pairs.join(',')}}` : '';
  return `${metric}${labelText} ${formatValue(value)}`;
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

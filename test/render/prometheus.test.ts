import { describe, expect, it } from 'vitest';
import { METRICS, renderPrometheus } from '../../src/core/render/prometheus';
import type { Report } from '../../src/core/types';
import {
  SAMPLE_REPORTS,
  failAuthReport,
  failEdgeTimeoutReport,
  fallbackFailingReport,
  hostileReport,
  misconfiguredReport,
  passReport,
  passWithEdgeReport,
  warnStaleReport,
} from '../fixtures/reports';
import { promtoolCheckMetrics } from '../support/promtool';
import { PROMTOOL, requireTools } from '../support/required-tool';
import { type ParsedExposition, parseExposition, seriesKey } from './exposition-parser';

function valueOf(parsed: ParsedExposition, metric: string, labels: Record<string, string> = {}): number {
  const key = seriesKey({ metric, labels });
  const sample = parsed.samples.find((s) => seriesKey(s) === key);
  if (!sample) throw new Error(`series ${key} is missing`);
  return sample.value;
}

function render(report: Report): ParsedExposition {
  return parseExposition(renderPrometheus(report));
}

describe('renderPrometheus: structure', () => {
  it.each(SAMPLE_REPORTS)('$name: parses, every metric declared as a gauge with HELP, every declared metric has samples', ({ report }) => {
    const parsed = render(report);
    for (const [name, spec] of Object.entries(METRICS)) {
      expect(parsed.types.get(name), name).toBe('gauge');
      expect(parsed.help.get(name), name).toBe(spec.help);
      expect(parsed.samples.some((s) => s.metric === name), `${name} has no sample`).toBe(true);
    }
    for (const sample of parsed.samples) {
      expect(sample.metric).toMatch(/^edge_canary_[a-z_]+$/);
      expect(sample.metric).not.toMatch(/_total$/);
    }
  });

  it.each(SAMPLE_REPORTS)('$name: exactly one reason series per target, and three status series', ({ report }) => {
    const parsed = render(report);
    const reasonTargets = parsed.samples.filter((s) => s.metric === 'edge_canary_check_reason').map((s) => s.labels.target);
    expect(reasonTargets).toEqual(report.results.length > 0 ? report.results.map((r) => r.fetch.target) : ['origin']);
    const statuses = parsed.samples.filter((s) => s.metric === 'edge_canary_status');
    expect(statuses.map((s) => s.labels.status)).toEqual(['pass', 'warn', 'fail']);
    expect(statuses.filter((s) => s.value === 1).map((s) => s.labels.status)).toEqual([report.status]);
  });

  it.each([
    { name: 'pass (origin only)', report: passReport, edge: false },
    { name: 'misconfigured', report: misconfiguredReport, edge: false },
    { name: 'pass with edge', report: passWithEdgeReport, edge: true },
    { name: 'edge timeout', report: failEdgeTimeoutReport, edge: true },
  ])('$name: edge series present only when the report checked the edge ($edge)', ({ report, edge }) => {
    const edgeSeries = render(report).samples.filter((s) => s.labels.target === 'edge');
    expect(edgeSeries.length > 0).toBe(edge);
  });
});

describe('renderPrometheus: values', () => {
  const origin = { target: 'origin' };
  const originFetch = { target: 'origin', check: 'fetch' };
  const originFreshness = { target: 'origin', check: 'freshness' };
  const edge = { target: 'edge' };
  type Row = { name: string; report: Report; expected: Array<[string, Record<string, string>, number]> };
  const rows: Row[] = [
    {
      name: 'fallback refused: its fetch is warn (no page) and not a success; the primary stays a success',
      report: fallbackFailingReport,
      expected: [
        ['edge_canary_up', {}, 1],
        ['edge_canary_check_success', { target: 'origin:primary', check: 'fetch' }, 1],
        ['edge_canary_check_success', { target: 'origin:fallback', check: 'fetch' }, 0],
        ['edge_canary_check_status', { target: 'origin:fallback', check: 'fetch', status: 'warn' }, 1],
        ['edge_canary_check_reason', { target: 'origin:fallback', reason: 'auth_failed' }, 1],
      ],
    },
    {
      name: 'pass',
      report: passReport,
      expected: [
        ['edge_canary_up', {}, 1],
        ['edge_canary_check_success', originFetch, 1],
        ['edge_canary_check_success', originFreshness, 1],
        ['edge_canary_check_reason', { ...origin, reason: 'ok' }, 1],
        ['edge_canary_check_duration_seconds', origin, 0.0417],
        ['edge_canary_http_status_code', origin, 200],
        ['edge_canary_object_age_seconds', origin, 38],
        ['edge_canary_attempts', origin, 1],
        ['edge_canary_info', { pop: 'LHR', release_id: '42', service: 'edge-canary' }, 1],
        ['edge_canary_result_shared', {}, 0],
        ['edge_canary_checked_timestamp_seconds', {}, 1795653601.002],
        ['edge_canary_probe_duration_seconds', {}, 0.0453],
        ['edge_canary_config_valid', {}, 1],
      ],
    },
    {
      name: 'warn stale: up, but a stale freshness check is not a success; warn visible per check',
      report: warnStaleReport,
      expected: [
        ['edge_canary_up', {}, 1],
        ['edge_canary_status', { status: 'warn' }, 1],
        ['edge_canary_check_success', originFetch, 1],
        ['edge_canary_check_success', originFreshness, 0],
        ['edge_canary_check_status', { ...originFreshness, status: 'warn' }, 1],
        ['edge_canary_check_status', { ...originFreshness, status: 'pass' }, 0],
        ['edge_canary_check_reason', { ...origin, reason: 'stale' }, 1],
        ['edge_canary_object_age_seconds', origin, 412],
      ],
    },
    {
      name: 'fail auth_failed',
      report: failAuthReport,
      expected: [
        ['edge_canary_up', {}, 0],
        ['edge_canary_status', { status: 'fail' }, 1],
        ['edge_canary_check_success', originFetch, 0],
        ['edge_canary_check_success', originFreshness, 0],
        ['edge_canary_check_reason', { ...origin, reason: 'auth_failed' }, 1],
        ['edge_canary_http_status_code', origin, 403],
        ['edge_canary_object_age_seconds', origin, NaN],
      ],
    },
    {
      name: 'edge timeout: no HTTP status, origin still fine',
      report: failEdgeTimeoutReport,
      expected: [
        ['edge_canary_up', {}, 0],
        ['edge_canary_check_success', originFetch, 1],
        ['edge_canary_check_success', { ...edge, check: 'fetch' }, 0],
        ['edge_canary_check_reason', { ...edge, reason: 'timeout' }, 1],
        ['edge_canary_check_reason', { ...origin, reason: 'ok' }, 1],
        ['edge_canary_http_status_code', edge, NaN],
        ['edge_canary_object_age_seconds', edge, NaN],
        ['edge_canary_attempts', edge, 2],
        ['edge_canary_check_duration_seconds', edge, 8],
      ],
    },
    {
      name: 'misconfigured: origin series exist with NaN and 0',
      report: misconfiguredReport,
      expected: [
        ['edge_canary_up', {}, 0],
        ['edge_canary_config_valid', {}, 0],
        ['edge_canary_check_success', originFetch, 0],
        ['edge_canary_check_success', originFreshness, 0],
        ['edge_canary_check_status', { ...originFetch, status: 'fail' }, 1],
        ['edge_canary_check_reason', { ...origin, reason: 'misconfigured' }, 1],
        ['edge_canary_check_duration_seconds', origin, NaN],
        ['edge_canary_http_status_code', origin, NaN],
        ['edge_canary_object_age_seconds', origin, NaN],
        ['edge_canary_attempts', origin, 0],
      ],
    },
    {
      name: 'shared result',
      report: passWithEdgeReport,
      expected: [
        ['edge_canary_result_shared', {}, 1],
        ['edge_canary_http_status_code', edge, 200],
      ],
    },
    {
      name: 'hostile label values survive escaping unchanged',
      report: hostileReport,
      expected: [['edge_canary_info', { pop: 'L"H\\R\n<b>', release_id: "v'1\"&<i>", service: 'edge-canary' }, 1]],
    },
  ];

  it.each(rows)('$name', ({ report, expected }) => {
    const parsed = render(report);
    for (const [metric, labels, value] of expected) {
      expect(valueOf(parsed, metric, labels), seriesKey({ metric, labels })).toBe(value);
    }
  });
});

const [promtool] = requireTools([PROMTOOL]);

describe.skipIf(promtool === undefined)('promtool check metrics', () => {
  it.each(SAMPLE_REPORTS)('$name: accepted without lint findings', async ({ report }) => {
    const { code, output } = await promtoolCheckMetrics(promtool!, renderPrometheus(report));
    expect(output.trim()).toBe('');
    expect(code).toBe(0);
  });

  it('rejects what a bad renderer would produce, so the check above can fail', async () => {
    const { code, output } = await promtoolCheckMetrics(promtool!, '# TYPE edge_canary_up_total gauge\nedge_canary_up_total 1\n');
    expect(code).not.toBe(0);
    expect(output).toMatch(/help|total/i);
  });
});

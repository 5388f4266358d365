/** Every format shows each origin: a primary that works and a fallback that refuses its key. */
import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/core/render/html';
import { renderHealthJson } from '../../src/core/render/json';
import { renderPrometheus } from '../../src/core/render/prometheus';
import { renderText } from '../../src/core/render/text';
import { fallbackFailingReport as report } from '../fixtures/reports';

describe('a primary and a refused fallback, in every format', () => {
  it('health+json: a fetch and a freshness check per origin, warn for the fallback, each credential', () => {
    const body = JSON.parse(renderHealthJson(report));
    expect([body.status, body.reason, body.statuspage]).toEqual(['warn', 'auth_failed', 'operational']);
    expect(Object.keys(body.checks)).toEqual(['origin:primary:fetch', 'origin:primary:freshness', 'origin:fallback:fetch', 'origin:fallback:freshness']);
    expect(body.checks['origin:fallback:fetch'][0]).toMatchObject({ componentId: 's3://files-archive/edge-canary/canary.json', componentType: 'datastore', status: 'warn', httpStatus: 403 });
    expect(body.credentials).toEqual({ 'origin:primary': { accessId: 'B2KE…0001', fingerprint: '5b1e7c9a0d2f' }, 'origin:fallback': { accessId: 'AKIA…0001', fingerprint: '9c0ffee01234' } });
  });

  it('text: a line per check and a credential line per origin; the fallback line is WARN, never FAIL', () => {
    const lines = renderText(report).split('\n');
    expect(lines[0]).toMatch(/^WARN edge-canary auth_failed /);
    expect(lines).toContain('PASS origin:primary ok 200 63ms');
    expect(lines).toContain('WARN origin:fallback auth_failed 403 SignatureDoesNotMatch 63ms');
    expect(lines).toContain('credential origin:fallback AKIA…0001 fingerprint 9c0ffee01234');
    expect(lines.filter((line) => line.startsWith('FAIL'))).toEqual([]);
  });

  it('HTML: a card per origin and both credentials', () => {
    const page = renderHtml(report);
    expect(page).toContain('<h3>origin:primary</h3>');
    expect(page).toContain('<h3>origin:fallback</h3>');
    expect(page).toContain('<dt>Fingerprint (origin:fallback)</dt><dd class="mono">9c0ffee01234</dd>');
  });

  it('Prometheus: the series of each origin under its own target label', () => {
    const text = renderPrometheus(report);
    expect(text).toContain('edge_canary_check_reason{target="origin:primary",reason="ok"} 1');
    expect(text).toContain('edge_canary_check_reason{target="origin:fallback",reason="auth_failed"} 1');
    expect(text).toContain('edge_canary_check_status{target="origin:fallback",check="fetch",status="warn"} 1');
    expect(text).toContain('edge_canary_http_status_code{target="origin:fallback"} 403');
    expect(text).not.toContain('target="origin"}');
  });
});

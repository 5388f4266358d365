/**
 * The canary's HTTP surface (DESIGN.md §4), the same under Fastly Compute and the Node host. All
 * runtime access goes through the Platform; this module imports neither fastly:* nor node:*.
 */
import { Hono, type Context } from 'hono';
import { runHealthCheck } from './core/check';
import { runFleetCheck } from './core/fleet/fleet-check';
import { FLEET_HEADER, SHIELD_REFUSAL } from './core/fleet/inner-header';
import { answerAsShield } from './core/fleet/shield-check';
import { negotiateFormat, type Format } from './core/negotiate';
import { renderHtml } from './core/render/html';
import { HEALTH_JSON_TYPE, renderHealthJson } from './core/render/json';
import { PROMETHEUS_CONTENT_TYPE, renderPrometheus } from './core/render/prometheus';
import { renderText } from './core/render/text';
import { parseScope, type Scope } from './core/scope';
import type { Platform, Report } from './core/types';

const HTML_POLICY = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
const ROUTES: Record<string, string> = { '/': 'GET, HEAD', '/health': 'GET, HEAD', '/metrics': 'GET, HEAD', '/live': 'GET, HEAD' };

const INDEX = `edge-canary: signed, cache-bypassing check of the canary object in the private bucket

GET /health          deep check: 200 pass/warn, 503 fail (application/health+json)
GET /health?format=text|json|prometheus|html   or Accept: text/plain, text/html
GET /health?scope=fleet   the same check at every shield POP in config key shields, aggregated
GET /metrics         Prometheus metrics of the same check (200 while the canary itself runs; also ?scope=fleet)
GET /live            200 ok without touching any backend
`;

const RENDERERS: Record<Format, { type: string; render: (report: Report) => string }> = {
  json: { type: HEALTH_JSON_TYPE, render: renderHealthJson },
  text: { type: 'text/plain; charset=utf-8', render: renderText },
  prometheus: { type: PROMETHEUS_CONTENT_TYPE, render: renderPrometheus },
  html: { type: 'text/html; charset=utf-8', render: renderHtml },
};

export function createApp(platform: Platform): Hono {
  const app = new Hono();

  app.use('*', async (c, next) => {
    const started = platform.now();
    await next();
    // Set on the response itself: c.header() after next() copies the whole Response once per call.
    const headers = c.res.headers;
    headers.set('Cache-Control', 'no-store');
    headers.set('X-Content-Type-Options', 'nosniff');
    const timing = headers.get('Server-Timing');
    headers.set('Server-Timing', [timing, `total;dur=${platform.now() - started}`].filter(Boolean).join(', '));
  });

  app.get('/', (c) => c.text(INDEX));
  app.get('/live', (c) => c.text('ok\n'));

  app.get('/health', async (c) => {
    const scope = parseScope(c.req.query('scope'), true);
    if (!scope.ok) return c.text(`${scope.message}\n`, 400);
    if (scope.scope === 'shield') return answerShield(c);
    const negotiated = negotiateFormat(c.req.query('format'), c.req.header('accept'));
    if (!negotiated.ok) return c.text(`${negotiated.message}\n`, 400);
    const report = await check(scope.scope, c.req.url);
    return respond(c, report, negotiated.format, report.httpStatus);
  });

  app.get('/metrics', async (c) => {
    const scope = parseScope(c.req.query('scope'), false);
    if (!scope.ok) return c.text(`${scope.message}\n`, 400);
    const report = await check(scope.scope, c.req.url);
    return respond(c, report, 'prometheus', 200);
  });

  // A client's copy of the fleet header means nothing here: only scope=shield reads it, and no
  // request this service sends is built from the client's headers.
  const check = (scope: Scope, url: string): Promise<Report> =>
    scope === 'fleet' ? runFleetCheck(platform, new URL(url).origin) : runHealthCheck(platform);

  /** The inner request of a fleet check: this POP's own check as health+json, or a bare 403. */
  async function answerShield(c: Context) {
    const url = new URL(c.req.url);
    const answer = await answerAsShield(platform, url.pathname + url.search, c.req.header(FLEET_HEADER) ?? null);
    // The reason is in this POP's log only: a client learns nothing of its configuration.
    if (!answer.ok) return c.text(`${SHIELD_REFUSAL}\n`, 403);
    return respond(c, answer.report, 'json', answer.report.httpStatus);
  }

  app.all('*', (c) => {
    const allow = ROUTES[c.req.path];
    if (!allow) return c.text('not found; see / for the endpoints\n', 404);
    c.header('Allow', allow);
    return c.text(`method ${c.req.method} not allowed; allowed: ${allow}\n`, 405);
  });

  app.onError((error, c) => {
    platform.log({ msg: 'Unhandled error', error: error instanceof Error ? error.name : 'unknown', detail: String(error).slice(0, 300) });
    return c.text('internal error\n', 500);
  });

  return app;
}

function respond(c: Context, report: Report, format: Format, status: 200 | 503) {
  const { type, render } = RENDERERS[format];
  c.header('Content-Type', type);
  c.header('X-Canary-Status', report.status);
  c.header('Server-Timing', serverTiming(report));
  if (format === 'html') c.header('Content-Security-Policy', HTML_POLICY);
  return c.body(render(report), status);
}

function serverTiming(report: Report): string {
  // A Server-Timing name is an HTTP token, which has no ':' (origin:primary becomes origin-primary).
  const entries = report.results.map(({ fetch }) => `${fetch.target.replace(/:/g, '-')};dur=${fetch.durationMs};desc="${fetch.reason}"`);
  // Shield codes are tokens already (letters, digits, '-' and '_').
  for (const site of report.fleet?.sites ?? []) {
    if (site.shield !== null) entries.push(`shield-${site.shield};dur=${site.durationMs};desc="${site.reason}"`);
  }
  entries.push(`check;dur=${report.durationMs};desc="${report.shared ? 'shared' : 'fresh'}"`);
  return entries.join(', ');
}

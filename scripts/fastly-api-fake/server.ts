/**
 * A fake of the parts of the Fastly API the gate uses, following the public reference: paths under
 * /service/{id}, the `Fastly-Key` header (401 without the right one), JSON bodies and
 * `{"msg","detail"}` errors (404 unknown service or version, 429 with Fastly-RateLimit-* headers
 * when told to). Every call is recorded; activations are passed to hooks so a test or the demo can
 * move the local "staging" and "production" networks to that version.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { diffText, type ServiceConfig } from './service-yaml';

export interface FakeVersion {
  number: number;
  config: ServiceConfig;
}

export interface FakeServiceSpec {
  id: string;
  /** Domains of every version, with the staging IP the API reports for each (null: none). */
  domains: { name: string; stagingIp: string | null }[];
  versions: FakeVersion[];
  activeVersion: number;
}

export interface RecordedCall {
  method: string;
  path: string;
  status: number;
  /** Whether the right Fastly-Key came with it (the key itself is never recorded). */
  authorized: boolean;
}

export type Environment = 'production' | 'staging';

export interface FakeFastlyApiOptions {
  token: string;
  service: FakeServiceSpec;
  onActivate?(environment: Environment, version: FakeVersion): Promise<void> | void;
  onDeactivate?(environment: Environment, version: FakeVersion): Promise<void> | void;
}

export interface FakeFastlyApi {
  url: string;
  calls(): RecordedCall[];
  /** The next `count` calls answer 429 (rate limited), or another status given. */
  failNext(count: number, status?: number): void;
  activeVersion(): number;
  stagedVersion(): number | null;
  close(): Promise<void>;
}

type Reply = { status: number; body: unknown; headers?: Record<string, string> };

export async function startFakeFastlyApi(options: FakeFastlyApiOptions): Promise<FakeFastlyApi> {
  const { service } = options;
  const calls: RecordedCall[] = [];
  let active = service.activeVersion;
  let staged: number | null = null;
  let failures: { count: number; status: number } = { count: 0, status: 429 };

  const notFound = (detail: string): Reply => ({ status: 404, body: { msg: 'Record not found', detail } });
  const versionJson = (v: FakeVersion) => ({
    number: v.number, service_id: service.id, active: v.number === active, staging: v.number === staged,
    locked: v.number <= active, deployed: v.number === active, testing: false, comment: '',
  });

  async function route(method: string, url: URL): Promise<Reply> {
    const parts = url.pathname.split('/').filter(Boolean);
    if (parts[0] !== 'service') return notFound(`no route ${url.pathname}`);
    if (parts[1] !== service.id) return notFound(`Cannot find service '${parts[1] ?? ''}'`);
    const version = (text: string | undefined) => service.versions.find((v) => String(v.number) === text);
    if (method === 'GET' && parts.length === 3 && parts[2] === 'version') return { status: 200, body: service.versions.map(versionJson) };
    if (method === 'GET' && parts[2] === 'diff' && parts[3] === 'from' && parts[5] === 'to' && parts.length === 7) {
      const from = version(parts[4]);
      const to = version(parts[6]);
      if (!from || !to) return notFound(`Cannot find version '${from ? parts[6] : parts[4]}'`);
      return { status: 200, body: { from: String(from.number), to: String(to.number), format: 'text', diff: diffText(from.config, to.config) } };
    }
    if (parts[2] !== 'version') return notFound(`no route ${url.pathname}`);
    const target = version(parts[3]);
    if (!target) return notFound(`Cannot find version '${parts[3] ?? ''}'`);
    const rest = parts.slice(4).join('/');
    if (method === 'GET' && rest === 'domain') {
      const withIps = url.searchParams.get('include') === 'staging_ips';
      return {
        status: 200,
        body: service.domains.map((d) => ({
          name: d.name, service_id: service.id, version: target.number, comment: '',
          ...(withIps ? { staging_ip: d.stagingIp } : {}),
        })),
      };
    }
    if (method !== 'PUT') return { status: 405, body: { msg: 'Method not allowed' } };
    if (rest === 'activate') {
      await options.onActivate?.('production', target);
      active = target.number;
    } else if (rest === 'activate/staging') {
      await options.onActivate?.('staging', target);
      staged = target.number;
    } else if (rest === 'deactivate/staging') {
      if (staged !== target.number) return { status: 400, body: { msg: 'Bad request', detail: `Version ${target.number} is not active on staging` } };
      await options.onDeactivate?.('staging', target);
      staged = null;
    } else {
      return notFound(`no route ${url.pathname}`);
    }
    return { status: 200, body: versionJson(target) };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://api.invalid');
    const authorized = req.headers['fastly-key'] === options.token;
    let reply: Reply;
    if (failures.count > 0) {
      failures.count--;
      reply = failures.status === 429
        ? { status: 429, body: { msg: 'Too many requests' }, headers: { 'fastly-ratelimit-remaining': '0', 'fastly-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + 60) } }
        : { status: failures.status, body: { msg: 'Service unavailable' } };
    } else if (!authorized) {
      reply = { status: 401, body: { msg: 'Provided credentials are missing or invalid' } };
    } else {
      reply = await route(method, url);
    }
    calls.push({ method, path: url.pathname + url.search, status: reply.status, authorized });
    res.writeHead(reply.status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...reply.headers });
    res.end(JSON.stringify(reply.body));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ msg: 'fake API internal error', detail: error instanceof Error ? error.message : String(error) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls: () => [...calls],
    failNext: (count, status = 429) => void (failures = { count, status }),
    activeVersion: () => active,
    stagedVersion: () => staged,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

/**
 * One shield's path to the bucket in a local fleet: a pass-through in front of the emulator that
 * every backend of that shield's canary connects to, so one shield can lose its origin while the
 * others keep theirs (on Fastly each shield POP has its own route to the bucket). It forwards the
 * request as received (method, path, Host, signature headers, body) and can be made to hang,
 * which is what a broken route looks like from the POP: no answer until the deadline.
 *
 * Control, on the same port: `POST /_path/hang` and `POST /_path/restore` (the banner prints
 * them). The canary never asks for `/_path/`: bucket requests start with a bucket or object name.
 */
import { createServer, request as httpRequest } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { urlHost } from '../../src/node/url-host';

export type PathState = 'open' | 'hanging';

export interface ShieldPath {
  /** `http://host:port`: what the shield canary's backends point at. */
  url: string;
  state(): PathState;
  hang(): void;
  /** Answers again; requests left hanging are cut, as a route that comes back would drop them. */
  restore(): void;
  close(): Promise<void>;
}

export async function startShieldPath(options: { host: string; target: () => URL | null }): Promise<ShieldPath> {
  let state: PathState = 'open';
  const hanging = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    if (req.url?.startsWith('/_path/')) return control(req, res);
    if (state === 'hanging') {
      hanging.add(res);
      res.on('close', () => hanging.delete(res));
      req.resume();
      return;
    }
    forward(req, res, options.target());
  });
  const control = (req: IncomingMessage, res: ServerResponse): void => {
    const action = req.method === 'POST' ? req.url : null;
    if (action === '/_path/hang') state = 'hanging';
    else if (action === '/_path/restore') cutHanging();
    else return void res.writeHead(404, { 'content-type': 'text/plain' }).end('use POST /_path/hang or POST /_path/restore\n');
    res.writeHead(200, { 'content-type': 'text/plain' }).end(`${state}\n`);
  };
  const cutHanging = (): void => {
    state = 'open';
    for (const res of hanging) res.destroy();
    hanging.clear();
  };
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = urlHost(options.host);
  return {
    url: `http://${shownHost}:${port}`,
    state: () => state,
    hang: () => {
      state = 'hanging';
    },
    restore: cutHanging,
    close: async () => {
      cutHanging();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function forward(req: IncomingMessage, res: ServerResponse, target: URL | null): void {
  if (target === null) return void res.writeHead(502, { 'content-type': 'text/plain' }).end('shield path: no origin yet\n');
  const upstream = httpRequest(
    { hostname: target.hostname.replace(/^\[|\]$/g, ''), port: target.port, method: req.method, path: req.url, headers: req.headers },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
      answer.pipe(res);
    },
  );
  upstream.on('error', () => res.destroy());
  res.on('close', () => upstream.destroy());
  req.pipe(upstream);
}

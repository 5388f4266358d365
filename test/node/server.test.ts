import http from 'node:http';
import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { ListenError, serve } from '../../src/node/server';
import type { RunningServer } from '../../src/node/server';

const running: RunningServer[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()));
});

function tinyApp(delayMs = 0): Hono {
  const app = new Hono();
  app.get('/live', async (c) => {
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    return c.text('ok\n');
  });
  return app;
}

async function start(app: Hono, port = 0): Promise<RunningServer> {
  const server = await serve(app, { port, closeGraceMs: 60_000 });
  running.push(server);
  return server;
}

/** A GET over a keep-alive agent; resolves with the body and the client socket, which stays open. */
interface KeptAliveReply {
  status: number;
  body: string;
  connection: string | undefined;
  closed: Promise<void>;
}

function keepAliveGet(url: string, agent: http.Agent): Promise<KeptAliveReply> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (res) => {
        const socket = res.socket;
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => {
          const closed = new Promise<void>((done) => socket.once('close', () => done()));
          resolve({ status: res.statusCode ?? 0, body, connection: res.headers.connection, closed });
        });
      })
      .on('error', reject);
  });
}

describe('serve', () => {
  it('answers on 127.0.0.1 at the url it reports', async () => {
    const server = await start(tinyApp());
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    const response = await fetch(`${server.url}/live`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('ok\n');
  });

  it('close() also closes kept-alive connections instead of waiting for them', async () => {
    const server = await start(tinyApp());
    const agent = new http.Agent({ keepAlive: true });
    const { status, closed } = await keepAliveGet(`${server.url}/live`, agent);
    expect(status).toBe(200);

    await server.close();
    await closed;
    agent.destroy();
  });

  it('close() lets a request in flight finish, then closes its connection', async () => {
    const server = await start(tinyApp(200));
    const agent = new http.Agent({ keepAlive: true });
    const inFlight = keepAliveGet(`${server.url}/live`, agent);
    await new Promise((resolve) => setTimeout(resolve, 50));

    const closing = server.close();
    const { status, body, connection, closed } = await inFlight;
    await closing;
    await closed;
    expect({ status, body, connection }).toEqual({ status: 200, body: 'ok\n', connection: 'close' });
    agent.destroy();
  });

  it('a port in use is a ListenError naming the port', async () => {
    const first = await start(tinyApp());
    const second = serve(tinyApp(), { port: first.port });
    await expect(second).rejects.toBeInstanceOf(ListenError);
    await expect(second).rejects.toThrow(`port ${first.port} on 127.0.0.1 is already in use`);
  });
});

import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  contentType: string | undefined;
  body: unknown;
  /** Arrival time, ms since the epoch. */
  at: number;
  /** What the fake answered. */
  answered: number;
}

export interface ScriptedAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export interface FakeStatuspage {
  apiBase: string;
  requests: RecordedRequest[];
  /** The component's status as the fake holds it; PATCH changes it. */
  componentStatus: string;
  /** Answers the next requests (any path) with these, in order, before behaving normally again. */
  answerNext(...answers: ScriptedAnswer[]): void;
  patches(): RecordedRequest[];
  close(): Promise<void>;
}

/** A minimal Statuspage API: GET and PATCH of one component, recording every request. */
export async function startFakeStatuspage(pageId: string, componentId: string, initialStatus: string): Promise<FakeStatuspage> {
  const scripted: ScriptedAnswer[] = [];
  const componentPath = `/v1/pages/${pageId}/components/${componentId}`;
  const fake: FakeStatuspage = {
    apiBase: '',
    requests: [],
    componentStatus: initialStatus,
    answerNext: (...answers) => scripted.push(...answers),
    patches: () => fake.requests.filter((request) => request.method === 'PATCH'),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };

  const server = createServer(async (req, res) => {
    const at = Date.now();
    const text = await readBody(req);
    const record: RecordedRequest = {
      method: req.method ?? '',
      path: req.url ?? '',
      authorization: req.headers.authorization,
      contentType: req.headers['content-type'],
      body: text === '' ? undefined : safeJson(text),
      at,
      answered: 0,
    };
    fake.requests.push(record);
    const answer = scripted.shift() ?? normalAnswer(fake, componentPath, componentId, record);
    record.answered = answer.status;
    send(res, answer);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.apiBase = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}

function normalAnswer(fake: FakeStatuspage, componentPath: string, componentId: string, request: RecordedRequest): ScriptedAnswer {
  if (request.path !== componentPath) return { status: 404, body: JSON.stringify({ error: 'Not found' }) };
  if (request.method === 'PATCH') {
    const status = (request.body as { component?: { status?: unknown } } | undefined)?.component?.status;
    if (typeof status !== 'string') return { status: 422, body: JSON.stringify({ error: 'status missing' }) };
    fake.componentStatus = status;
  } else if (request.method !== 'GET') {
    return { status: 405, body: '{}' };
  }
  return { status: 200, body: JSON.stringify({ id: componentId, name: 'Edge canary', status: fake.componentStatus }) };
}

function send(res: ServerResponse, answer: ScriptedAnswer): void {
  res.writeHead(answer.status, { 'Content-Type': 'application/json', ...answer.headers });
  res.end(answer.body ?? '{}');
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

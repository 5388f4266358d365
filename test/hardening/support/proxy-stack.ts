/**
 * The stack the no-open-proxy tests attack: a healthy origin (emulator) and a healthy edge, both
 * checks on, coalescing off so every deep check really reaches both backends.
 */
import type { LogEntry } from '../../../scripts/emulator/index';
import { canaryBody } from '../../support/fake-platform';
import { startCanaryStack, STACK_BUCKET, STACK_HOST, STACK_OBJECT } from './canary-stack';
import type { CanaryStack } from './canary-stack';
import type { Runtime } from '../../../scripts/stack/runtime';
import { freshCanaryHandler, startTestServer } from './test-server';
import type { TestServer } from './test-server';

export const EDGE_URL = 'https://files.example.org/edge-canary/canary.json';
const EDGE_REQUEST_LINE = 'GET /edge-canary/canary.json';
const ORIGIN_PATH = `/${STACK_BUCKET}/${STACK_OBJECT}`;

export interface ProxyStack {
  stack: CanaryStack;
  edge: TestServer;
  port: number;
  /** Backend requests since the last call that were anything but the configured object, read with GET/HEAD. */
  takeForeignRequests(): string[];
  /** Origin GETs of the configured object since the start. */
  canaryReads(): number;
  close(): Promise<void>;
}

function isCanaryRead(entry: LogEntry): boolean {
  return (entry.method === 'GET' || entry.method === 'HEAD') && entry.path === ORIGIN_PATH && entry.host === STACK_HOST &&
    entry.bucket === STACK_BUCKET && entry.object === STACK_OBJECT;
}

export async function startProxyStack(runtime: Runtime): Promise<ProxyStack> {
  const edge = await startTestServer(freshCanaryHandler(() => canaryBody(new Date())));
  const stack = await startCanaryStack(runtime, { config: { result_ttl_ms: '0', edge_url: EDGE_URL, deadline_ms: '4000' }, backends: { edge: edge.url } });
  let canaryReads = 0;
  let edgeSeen = 0;
  return {
    stack,
    edge,
    port: stack.canary.port,
    takeForeignRequests: () => {
      const origin = stack.originRequests();
      stack.emulator.clearLog();
      canaryReads += origin.filter(isCanaryRead).length;
      const foreign = origin.filter((entry) => !isCanaryRead(entry)).map((entry) => `origin: ${entry.method} ${entry.host} ${entry.path}`);
      const edgeLines = edge.received.slice(edgeSeen);
      edgeSeen = edge.received.length;
      return [...foreign, ...edgeLines.filter((line) => line !== EDGE_REQUEST_LINE).map((line) => `edge: ${line}`)];
    },
    canaryReads: () => canaryReads,
    close: async () => {
      await stack.close();
      await edge.close();
    },
  };
}

/**
 * The Node host end to end: `npm run serve` with a temp manifest, against an origin that checks
 * AWS4-HMAC-SHA256 signatures with the independent `aws4` package, as GCS interoperability does.
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import aws4 from 'aws4';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { localServerToml } from '../support/manifest-toml';
import { makeTempDir } from '../support/temp-dir';
import type { TempDir } from '../support/temp-dir';
import { startCli } from './cli-process';
import type { RunningCli } from './cli-process';
import { startOrigin } from './origin';
import type { TestOrigin } from './origin';

const ACCESS_ID = 'GOOG1EHOSTTESTACCESSID000000000000000000000000000000000000';
const SECRET = 'aG9zdC10ZXN0LXNlY3JldC1lZGdlLWNhbmFyeS0wMDAw';
const WRONG_SECRET = 'd3Jvbmctc2VjcmV0LWVkZ2UtY2FuYXJ5LTAwMDAwMDAw';
const BUCKET = 'edge-canary-host-test';
const OBJECT = 'edge-canary/canary.json';
const AUTH = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=[0-9a-f]{64}$/;

let dir: TempDir;
let origin: TestOrigin;
let running: RunningCli | undefined;

/** The GCS error code for a request, or null when aws4 computes the same Authorization header. */
function signatureProblem(request: IncomingMessage): string | null {
  const authorization = request.headers.authorization ?? '';
  const match = AUTH.exec(authorization);
  if (match === null) return 'AccessDenied';
  const [, accessId, region, service, signedHeaders] = match;
  if (accessId !== ACCESS_ID) return 'InvalidAccessKeyId';
  const headers = Object.fromEntries(signedHeaders.split(';').map((name) => [name, String(request.headers[name] ?? '')]));
  const recomputed = aws4.sign(
    { method: request.method, path: request.url, service, region, headers },
    { accessKeyId: ACCESS_ID, secretAccessKey: SECRET },
  );
  return recomputed.headers?.Authorization === authorization ? null : 'SignatureDoesNotMatch';
}

function gcsXmlApi(request: IncomingMessage, response: ServerResponse): void {
  const problem = signatureProblem(request);
  if (problem !== null) {
    response.writeHead(403, { 'content-type': 'application/xml; charset=UTF-8' });
    response.end(
      `<?xml version='1.0' encoding='UTF-8'?><Error><Code>${problem}</Code><Message>The request signature we calculated does not match the signature you provided.</Message><StringToSign>AWS4-HMAC-SHA256\n...</StringToSign></Error>`,
    );
    return;
  }
  if (request.url !== `/${BUCKET}/${OBJECT}`) {
    response.writeHead(404, { 'content-type': 'application/xml; charset=UTF-8' });
    response.end('<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>');
    return;
  }
  const canary = { kind: 'edge-canary', version: 1, written_at: new Date().toISOString(), sequence: 7, writer: 'host-aws4-test' };
  response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store, max-age=0' });
  response.end(JSON.stringify(canary));
}

function manifestWithSecret(secret: string): string {
  return dir.write(
    `fastly-${secret === SECRET ? 'right' : 'wrong'}.toml`,
    localServerToml({
      backends: { gcs: origin.url },
      config: { bucket: BUCKET, object: OBJECT, signing: 'aws4', origin_host: 'storage.googleapis.com', attempts: '1', result_ttl_ms: '0' },
      secrets: { hmac_access_id: ACCESS_ID, hmac_secret: secret },
    }),
  );
}

interface HealthBody {
  status: string;
  reason: string;
  checks: Record<string, { status: string; reason: string; httpStatus?: number | null; errorCode?: string | null }[]>;
}

async function health(secret: string): Promise<{ status: number; text: string; body: HealthBody }> {
  running = await startCli(['--manifest', manifestWithSecret(secret), '--port', '0']);
  const response = await fetch(`${running.url}/health`);
  const text = await response.text();
  return { status: response.status, text, body: JSON.parse(text) as HealthBody };
}

beforeAll(async () => {
  dir = makeTempDir('edge-canary-host-');
  origin = await startOrigin(gcsXmlApi);
});

afterEach(async () => {
  await running?.stop('SIGTERM');
  running = undefined;
  origin.received.length = 0;
});

afterAll(async () => {
  await origin.close();
  dir.remove();
});

describe('the Node host against an origin that verifies AWS4 signatures with aws4', () => {
  it('right credentials: /health is 200 pass, and the origin saw the signed Host', async () => {
    const { status, body } = await health(SECRET);

    expect(body.checks['origin:fetch'][0]).toMatchObject({ status: 'pass', reason: 'ok', httpStatus: 200 });
    expect({ status, overall: body.status, reason: body.reason }).toEqual({ status: 200, overall: 'pass', reason: 'ok' });
    expect(origin.received).toHaveLength(1);
    expect(origin.received[0].headers.host).toBe('storage.googleapis.com');
    expect(origin.received[0].path).toBe(`/${BUCKET}/${OBJECT}`);
  });

  it('a wrong secret in the manifest: 503 auth_failed with SignatureDoesNotMatch, and no secret in the reply', async () => {
    const { status, text, body } = await health(WRONG_SECRET);

    expect({ status, overall: body.status, reason: body.reason }).toEqual({ status: 503, overall: 'fail', reason: 'auth_failed' });
    expect(body.checks['origin:fetch'][0]).toMatchObject({ reason: 'auth_failed', httpStatus: 403, errorCode: 'SignatureDoesNotMatch' });
    expect(text).not.toContain(WRONG_SECRET);
    expect(text).not.toContain('StringToSign');
  });
});

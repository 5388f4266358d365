/**
 * One signed read of an object from a bucket, made the way a production CDN makes it: signed with
 * the CDN's own HMAC credential for the bucket's public host (GCS, or SigV4 for an S3-style
 * archive), sent to wherever the bucket really is
 * (the emulator locally) with that Host kept, so the signature is checked as in production.
 */
import { fetchBackend, type BackendAgents } from '../../src/node/backend-fetch';
import type { BackendSpec } from '../../src/node/manifest';
import { signObjectRequest } from '../../src/core/sign';
import type { OriginReply } from './cache';
import type { OriginSpec } from './options';

const USER_AGENT = 'edge-canary-local-cdn/0.1';
// Hop-by-hop headers belong to one connection, never to a stored or forwarded reply.
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'proxy-authenticate', 'proxy-authorization', 'content-length']);

export function backendFor(name: string, origin: Required<OriginSpec>): BackendSpec {
  return { name, url: new URL(origin.url), overrideHost: null, certHost: null, useSni: true };
}

/** The bucket's answer; a transport failure becomes a 503 like a CDN's own "backend unavailable". */
export async function readObject(backend: BackendSpec, origin: Required<OriginSpec>, object: string, agents: BackendAgents): Promise<OriginReply> {
  try {
    const signed = await signObjectRequest({
      method: 'GET',
      location: { host: origin.host, bucket: origin.bucket, object, urlStyle: origin.urlStyle },
      scheme: origin.signing,
      accessId: origin.accessId,
      secret: origin.secret,
      region: origin.region,
      date: new Date(),
    });
    const response = await fetchBackend(backend, new Request(signed.url, { headers: { ...signed.headers, 'user-agent': USER_AGENT } }), { agents });
    const body = Buffer.from(await response.arrayBuffer());
    const headers = [...response.headers].filter(([name]) => !HOP_BY_HOP.has(name.toLowerCase()));
    return { status: response.status, headers, body };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      status: 503,
      headers: [['content-type', 'text/plain; charset=utf-8']],
      body: Buffer.from(`local CDN: backend ${backend.name} unavailable (${reason})\n`),
    };
  }
}

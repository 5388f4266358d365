/** The bench's HTTP helpers: a checker's GET, and the emulator's control API. */
import http from 'node:http';

/**
 * A checker's GET: one kept-alive connection, node:http, body read to the end. Lighter than
 * fetchBackend (no Request/Response objects), like curl or blackbox_exporter polling a URL.
 */
export function checkerGet(url: string, agent: http.Agent): Promise<{ ms: number; status: number; body: string }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    http.get(url, { agent }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ ms: performance.now() - started, status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    }).on('error', reject);
  });
}

export async function controlRequest<T>(emulatorUrl: string, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${emulatorUrl}/_emulator${path}`, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  if (!response.ok) throw new Error(`emulator control ${method} ${path}: HTTP ${response.status}`);
  return (await response.json()) as T;
}

export interface EmulatorLogEntry {
  method: string;
  auth: string;
  bucket?: string;
  object?: string;
  status: number;
}

/** Signed XML API reads of the object: what a canary costs the origin. */
export async function countObjectReads(emulatorUrl: string, bucket: string, object: string): Promise<number> {
  const log = await controlRequest<EmulatorLogEntry[]>(emulatorUrl, 'GET', '/log');
  return log.filter((entry) => entry.method === 'GET' && entry.auth !== 'json' && entry.bucket === bucket && entry.object === object).length;
}

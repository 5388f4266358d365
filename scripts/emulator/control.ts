/**
 * The control API under /_emulator/: request log, faults, keys, objects, buckets, clock, reset.
 * JSON in and out; never answers with an HMAC secret.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BadEncodingError, percentDecode } from './canonical';
import { CONTROL_ROUTES } from './control-routes';
import { ControlInputError } from './errors';
import { BodyTooLargeError, readBody, sendJson } from './http-util';
import type { RequestTarget } from './http-util';
import type { EmulatorState } from './state';

const MAX_CONTROL_BODY = 1024 * 1024;

export function isControlPath(rawPath: string): boolean {
  return rawPath === '/_emulator' || rawPath.startsWith('/_emulator/');
}

export async function handleControl(req: IncomingMessage, res: ServerResponse, target: RequestTarget, state: EmulatorState): Promise<void> {
  const method = req.method ?? 'GET';
  try {
    const body = await readBody(req, MAX_CONTROL_BODY);
    const subPath = target.rawPath.slice('/_emulator'.length);
    const route = CONTROL_ROUTES.map((r) => ({ route: r, match: r.pattern.exec(subPath) })).find((m) => m.match !== null);
    if (!route?.match) throw new ControlInputError(`no control endpoint at ${target.rawPath}; GET /_emulator/ lists them`, 404);
    const handler = route.route.methods[method];
    if (!handler) {
      const allow = Object.keys(route.route.methods).join(', ');
      sendJson(res, 405, { error: { code: 405, message: `${method} is not allowed here; use ${allow}` } }, { Allow: allow });
      return;
    }
    const params = route.match.slice(1).map((p) => percentDecode(p, 'path'));
    const result = handler({ method, params, body, req, state });
    sendJson(res, result.status ?? 200, result.body);
  } catch (error) {
    if (error instanceof ControlInputError) sendJson(res, error.status, { error: { code: error.status, message: error.message } });
    else if (error instanceof BadEncodingError) sendJson(res, 400, { error: { code: 400, message: error.message } });
    else if (error instanceof BodyTooLargeError) sendJson(res, 413, { error: { code: 413, message: error.message } });
    else throw error;
  }
}

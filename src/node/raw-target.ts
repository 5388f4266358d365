/**
 * The request target as the client sent it, for the app. On Compute the runtime hands the service
 * the URL as received (`/x/../health` stays that, so it matches no route); @hono/node-server instead
 * resolves dot segments and refuses a backslash in the path. The Node host keeps the target as
 * sent, so both local hosts route the same hostile paths the same way.
 */
import type { IncomingMessage, Server } from 'node:http';

const sentTargets = new WeakMap<IncomingMessage, string>();

/** Call before the adaptor's request listener runs: remembers each target, and gives the adaptor one it accepts. */
export function keepSentTargets(server: Server): void {
  server.prependListener('request', (incoming: IncomingMessage) => {
    if (incoming.url === undefined) return;
    // An absolute-form target's scheme is case-insensitive (RFC 9110); the adaptor only knows lower case.
    if (/^https?:\/\//i.test(incoming.url)) incoming.url = incoming.url.replace(/^https?/i, (scheme) => scheme.toLowerCase());
    if (!incoming.url.startsWith('/')) return;
    sentTargets.set(incoming, incoming.url);
    // A stand-in the adaptor can parse; the app gets the sent target back in asSent().
    incoming.url = incoming.url.replaceAll('\\', '/');
  });
}

/** `request` with the URL the client sent (origin-form targets only; absolute-form is parsed on Compute too). */
export function asSent(request: Request, incoming: IncomingMessage | undefined): Request {
  const target = incoming === undefined ? undefined : sentTargets.get(incoming);
  if (target === undefined) return request;
  const url = new URL(request.url).origin + target;
  if (url === request.url) return request;
  return new Proxy(request, {
    get(original, property) {
      if (property === 'url') return url;
      const value: unknown = Reflect.get(original, property, original);
      return typeof value === 'function' ? value.bind(original) : value;
    },
  });
}

/**
 * Work counted, not timed (performance is `npm run bench`): the headers every answer carries are set
 * on the handler's Response, not on copies. Hono's c.header() after next() builds a new Response per
 * call, which cost three extra Responses per request, on Node and on Compute alike.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app';
import { canaryBody, canaryResponse, fakePlatform } from '../support/fake-platform';

const StandardResponse = globalThis.Response;
afterEach(() => {
  globalThis.Response = StandardResponse;
});

/** Counts the Responses built while `run` runs (the fake origin's own included, counted apart). */
async function responsesBuiltBy(run: () => Response | Promise<Response>): Promise<{ built: number; response: Response }> {
  let built = 0;
  globalThis.Response = class CountedResponse extends StandardResponse {
    constructor(...args: ConstructorParameters<typeof StandardResponse>) {
      super(...args);
      built += 1;
    }
  };
  const response = await run();
  globalThis.Response = StandardResponse;
  return { built, response };
}

describe('responses per request', () => {
  it.each(['/live', '/', '/nope'])('%s builds exactly one Response and still carries the common headers', async (path) => {
    const app = createApp(fakePlatform({ origin: () => canaryResponse(canaryBody(new Date())) }));
    const { built, response } = await responsesBuiltBy(() => app.request(path));
    expect(built).toBe(1);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('server-timing')).toMatch(/^total;dur=\d+/);
  });

  it('/health builds its answer and the origin reply, nothing more', async () => {
    let originReplies = 0;
    const app = createApp(fakePlatform({ origin: () => { originReplies += 1; return canaryResponse(canaryBody(new Date())); } }));
    const { built, response } = await responsesBuiltBy(() => app.request('/health'));
    expect(response.status).toBe(200);
    expect(originReplies).toBe(1);
    expect(built).toBe(1 + originReplies);
    expect(response.headers.get('server-timing')).toMatch(/^origin;dur=\d+;desc="ok", check;dur=\d+;desc="fresh", total;dur=\d+$/);
  });
});

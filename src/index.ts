/// <reference types="@fastly/js-compute" />
/** Compute entry point: wires the runtime to the app, and nothing else. */
import { enforceExplicitBackends } from 'fastly:backend';
import { createApp } from './app';
import { createFastlyPlatform } from './fastly/platform';
import { prepareSnapshot } from './fastly/snapshot';

// No request may ever reach a backend that is not declared on the service.
enforceExplicitBackends();

const platform = createFastlyPlatform();
const app = createApp(platform);
// At build time, so no request pays for it (src/fastly/snapshot.ts). A failure there only costs speed.
prepareSnapshot(app).catch(() => undefined);

async function handle(event: FetchEvent): Promise<Response> {
  try {
    return await app.fetch(event.request);
  } catch (error) {
    platform.log({ msg: 'Unhandled error', detail: String(error).slice(0, 300) });
    return new Response('internal error\n', { status: 500, headers: { 'Cache-Control': 'no-store' } });
  }
}

addEventListener('fetch', (event) => event.respondWith(handle(event)));

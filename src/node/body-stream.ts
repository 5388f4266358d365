/**
 * A backend response body as a web stream that pulls from the socket only as fast as the reader
 * reads, enforces the between-bytes timeout, and releases the socket when the reader cancels.
 */

import type { IncomingMessage } from 'node:http';
import { BackendError } from '../core/types';
import { transportError } from './transport-error';

const QUEUE_BYTES = 64 * 1024;

export function bodyStream(
  incoming: IncomingMessage,
  destroyConnection: () => void,
  betweenBytesMs: number,
  where: string,
): ReadableStream<Uint8Array> {
  let timer: NodeJS.Timeout | undefined;
  let finished = false;
  let resumeReading = () => {};
  const stopWaiting = () => clearTimeout(timer);

  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        const fail = (error: unknown) => {
          if (finished) return;
          finished = true;
          stopWaiting();
          controller.error(error);
          destroyConnection();
        };
        const waitForBytes = () => {
          stopWaiting();
          timer = setTimeout(
            () => fail(new BackendError('timeout', `${where}: no body bytes within ${betweenBytesMs} ms`)),
            betweenBytesMs,
          );
        };
        resumeReading = () => {
          incoming.resume();
          waitForBytes();
        };
        incoming.on('data', (chunk: Buffer) => {
          if (finished) return;
          controller.enqueue(new Uint8Array(chunk));
          if ((controller.desiredSize ?? 0) > 0) return waitForBytes();
          // The reader is behind: stop reading the socket, and stop the clock, which measures the origin.
          stopWaiting();
          incoming.pause();
        });
        incoming.on('end', () => {
          if (finished) return;
          finished = true;
          stopWaiting();
          controller.close();
        });
        incoming.on('error', (error) => fail(transportError(where, error)));
        // 'close' follows every 'end' too: build the error (and its stack trace) only when it is one.
        incoming.on('close', () => {
          if (!finished) fail(new BackendError('connect_failed', `${where}: connection closed before the body ended`));
        });
        waitForBytes();
      },
      pull() {
        if (!finished && incoming.isPaused()) resumeReading();
      },
      cancel() {
        finished = true;
        stopWaiting();
        destroyConnection();
        incoming.destroy();
      },
    },
    { highWaterMark: QUEUE_BYTES, size: (chunk) => chunk.byteLength },
  );
}

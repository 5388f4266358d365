/**
 * What Fastly's edge refuses before a request reaches the service, as both local hosts emulate it
 * (docs: "Fastly VCL constraints and limitations", which Compute shares): a request URL over 8 KB
 * and a request header section over 69 KB never reach the guest. The local hosts answer them the
 * way a client would see it, so no test relies on the app handling what production never hands it.
 */

/** Fastly refuses longer request URLs at the edge; js-compute's URI buffer is this size too. */
export const MAX_URL_BYTES = 8192;
/** Fastly's limit on a request's header section. */
export const MAX_HEADER_BYTES = 69 * 1024;

/** The request URL as the service sees it: rebuilt from the Host header and the request target. */
export function urlTooLong(url: string): boolean {
  return Buffer.byteLength(url) > MAX_URL_BYTES;
}

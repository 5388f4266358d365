/** A Storage client whose every request is bounded in time and never retried behind our back. */
import { Storage } from '@google-cloud/storage';

export const DEFAULT_REQUEST_TIMEOUT_MS = 5_000;

export interface StorageClientOptions {
  /** Emulator or other custom endpoint, e.g. http://127.0.0.1:4443; requests then carry no auth. */
  endpoint?: string;
  requestTimeoutMs?: number;
}

/**
 * Production: Application Default Credentials. With `endpoint` (or STORAGE_EMULATOR_HOST, which
 * the library reads itself) no credentials are loaded or sent.
 */
export function createStorage(options: StorageClientOptions = {}): Storage {
  const { endpoint, requestTimeoutMs = DEFAULT_REQUEST_TIMEOUT_MS } = options;
  const storage = new Storage({
    ...(endpoint === undefined ? {} : { apiEndpoint: endpoint }),
    timeout: requestTimeoutMs,
    // writeCanary retries whole read-write cycles itself (bounded attempts, short backoff). The
    // library's own retries would multiply with those, wait at least 1 s plus jitter per read
    // retry, skip ECONNREFUSED, and toggle a flag shared by concurrent calls; so they are off.
    retryOptions: { autoRetry: false },
  });
  if (endpoint !== undefined) {
    // With STORAGE_EMULATOR_HOST also set, the library would send metadata reads there and
    // uploads to `endpoint`; an explicit endpoint must win for both.
    storage.baseUrl = `${storage.apiEndpoint}/storage/v1`;
  }
  return storage;
}

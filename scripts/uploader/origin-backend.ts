/**
 * What one write cycle needs from a store, so the same read → conditional write → read-back runs
 * against GCS (generations) and S3-compatible stores (ETags) alike.
 */
import type { CurrentObject } from './read-object';

export interface OriginBackend {
  /** `gs://bucket/object`, `s3://bucket/object (b2, s3.us-east-005.backblazeb2.com)`: names the object in messages. */
  readonly target: string;
  /** Where requests go, e.g. https://storage.googleapis.com or http://127.0.0.1:4443. */
  readonly endpoint: string;
  /** What a version is called in output: GCS `generation`, S3 `etag`. */
  readonly versionKind: 'generation' | 'etag';
  /** The live object: its version (for the precondition) and its sequence. */
  readCurrent(): Promise<CurrentObject>;
  /**
   * Writes `body` only over exactly `version` (0: only if no object exists); resolves to the new
   * version. A precondition failure rejects with an error whose HTTP status (httpStatusOf) is 412.
   */
  save(body: string, version: string | 0): Promise<string>;
  /** The bytes of exactly this version, or `gone` once it was replaced or deleted. */
  readVersion(version: string): Promise<Uint8Array | 'gone'>;
}

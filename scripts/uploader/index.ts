/** The uploader as a library, for `npm start`, end-to-end tests and other tools. */
export { writeCanary, DEFAULT_ATTEMPTS, DEFAULT_BACKOFF_MS } from './write-canary';
export type { SequenceFloor, WriteCanaryOptions, WriteResult } from './write-canary';
export { runUploadLoop } from './upload-loop';
export type { UploadLoopOptions, LoopSummary } from './upload-loop';
export { createStorage } from './storage-client';
export { parseInterval } from './args';
export type { StorageClientOptions } from './storage-client';
export { CanaryWriteError, UsageError } from './errors';
export type { WriteFailure } from './errors';
export { buildCanary, readCanary, CANARY_CACHE_CONTROL, CANARY_CONTENT_TYPE } from './canary-object';
export type { CanaryObject } from './canary-object';
export { objectNameProblem, bucketNameProblem } from './object-name';

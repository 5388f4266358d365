/**
 * One canary write: read the current object, write the next sequence over exactly the generation
 * read (`ifGenerationMatch`), read it back. Transient failures retry the whole cycle a bounded
 * number of times; a precondition conflict re-reads and retries once.
 */
import type { Storage } from '@google-cloud/storage';
import { setTimeout as delay } from 'node:timers/promises';
import { buildCanary, serializeCanary } from './canary-object';
import type { CanaryObject } from './canary-object';
import { ForeignObjectError, RepeatedConflictError, UsageError } from './errors';
import { gcsBackend } from './gcs-backend';
import type { OriginBackend } from './origin-backend';
import { bucketNameProblem, objectNameProblem } from './object-name';
import { readBack } from './read-back';
import type { CurrentObject } from './read-object';
import { httpStatusOf, isTransient } from './transient';
import { toWriteError } from './write-error';

export const DEFAULT_ATTEMPTS = 3;
export const DEFAULT_BACKOFF_MS = 250;

export interface WriteCanaryOptions {
  /** GCS through this client; give either storage or backend. */
  storage?: Storage;
  /** Any store (the S3-compatible ones) through its own backend. */
  backend?: OriginBackend;
  bucket: string;
  object: string;
  /** Recorded in the object, e.g. `uploader@host-1`. */
  writer: string;
  now?: () => Date;
  /** Tries when storage is unreachable or answers 408/429/5xx (default 3). */
  attempts?: number;
  /** Wait before the second try, doubled before each later one (default 250 ms). */
  backoffMs?: number;
  /** Diagnostics worth a line on stderr: no previous canary, a conflict with another writer. */
  onNotice?: (message: string) => void;
  /** Replace an object that is not a canary (default: refuse, so a mistyped name loses no file). */
  force?: boolean;
  /** Runs between reading the current object and writing; lets tests play the other writer. */
  beforeWrite?: (current: CurrentObject) => Promise<void> | void;
  /** Runs between the write and its read-back; lets tests play a writer that supersedes ours. */
  beforeReadBack?: (generation: string) => Promise<void> | void;
  /**
   * The highest sequence this uploader has written or seen, shared by its writes (the loop keeps
   * one), so it never writes a lower one, even after the object was deleted. Updated by each write.
   */
  sequenceFloor?: SequenceFloor;
}

export interface SequenceFloor {
  highest: number;
}

export interface WriteResult {
  bucket: string;
  object: string;
  /** The version written: a GCS generation, or an S3 ETag (see versionKind). */
  generation: string;
  /** How messages name the object (`gs://b/o`, `s3://b/o (...)`); absent: gs://bucket/object. */
  target?: string;
  /** Absent: a GCS generation. */
  versionKind?: OriginBackend['versionKind'];
  sequence: number;
  writtenAt: string;
  durationMs: number;
  /** Read-write cycles it took (1 unless storage failed transiently). */
  attempts: number;
  /** Precondition conflicts met (another writer got there first). */
  conflicts: number;
  /** Another writer replaced our generation, with a higher sequence, before it could be read back. */
  supersededBy: { generation: string; sequence: number } | null;
}

interface Landed {
  generation: string;
  canary: CanaryObject;
  supersededBy: WriteResult['supersededBy'];
}

/** Throws UsageError for a name it will not use, CanaryWriteError when the write failed. */
export async function writeCanary(options: WriteCanaryOptions): Promise<WriteResult> {
  const problem = bucketNameProblem(options.bucket) ?? objectNameProblem(options.object);
  if (problem !== null) throw new UsageError(problem);
  const attempts = options.attempts ?? DEFAULT_ATTEMPTS;
  const backoffMs = options.backoffMs ?? DEFAULT_BACKOFF_MS;
  const started = performance.now();
  const backend = options.backend ?? (options.storage ? gcsBackend(options.storage, options.bucket, options.object) : null);
  if (!backend) throw new UsageError('writeCanary needs a Storage client (storage) or an OriginBackend (backend)');
  const cycle = new WriteCycle(options, backend);
  for (let attempt = 1; ; attempt++) {
    try {
      const landed = await cycle.run();
      return {
        bucket: options.bucket,
        object: options.object,
        generation: landed.generation,
        target: backend.target,
        versionKind: backend.versionKind,
        sequence: landed.canary.sequence,
        writtenAt: landed.canary.written_at,
        durationMs: Math.round(performance.now() - started),
        attempts: attempt,
        conflicts: cycle.conflicts,
        supersededBy: landed.supersededBy,
      };
    } catch (error) {
      if (attempt >= attempts || !isTransient(error)) {
        throw toWriteError(error, { attempts: attempt, endpoint: backend.endpoint, target: backend.target });
      }
      await delay(backoffMs * 2 ** (attempt - 1));
    }
  }
}

/** State shared by the attempts of one write: the highest sequence seen must never be lost. */
class WriteCycle {
  readonly target: string;
  conflicts = 0;
  private readonly floor: SequenceFloor;
  private noticedPrevious = false;

  constructor(
    private readonly options: WriteCanaryOptions,
    private readonly backend: OriginBackend,
  ) {
    this.target = backend.target;
    this.floor = options.sequenceFloor ?? { highest: 0 };
  }

  async run(): Promise<Landed> {
    let current = await this.backend.readCurrent();
    for (let conflictsThisCycle = 0; ; conflictsThisCycle++) {
      if (current.state === 'unreadable' && current.foreign && !this.options.force) {
        throw new ForeignObjectError(
          `${this.target} is not a canary (${current.why}); refusing to overwrite it. Check --object, or pass --force to replace it`,
        );
      }
      if (current.state === 'canary') this.raiseFloor(current.sequence);
      const canary = buildCanary(this.floor.highest + 1, this.options.writer, (this.options.now ?? (() => new Date()))());
      this.noticePrevious(current, canary.sequence);
      await this.options.beforeWrite?.(current);
      try {
        const generation = await this.backend.save(serializeCanary(canary), current.generation);
        this.raiseFloor(canary.sequence);
        await this.options.beforeReadBack?.(generation);
        const confirmed = await readBack(this.backend, generation, canary);
        if (confirmed.state === 'confirmed') return { generation, canary, supersededBy: null };
        this.raiseFloor(confirmed.sequence);
        this.options.onNotice?.(
          `${this.target} ${this.backend.versionKind} ${generation} (sequence ${canary.sequence}) was replaced by ${this.backend.versionKind} ${confirmed.generation} ` +
            `(sequence ${confirmed.sequence}) before it could be read back: another writer is writing too; the canary moved forward`,
        );
        return { generation, canary, supersededBy: { generation: confirmed.generation, sequence: confirmed.sequence } };
      } catch (error) {
        if (httpStatusOf(error) !== 412) throw error;
        this.conflicts++;
        if (conflictsThisCycle >= 1) {
          throw new RepeatedConflictError(`${this.target} changed again before sequence ${canary.sequence} could be written`);
        }
        this.options.onNotice?.(`${this.target} changed since it was read (412, another writer?); re-reading and retrying once`);
        current = await this.backend.readCurrent();
      }
    }
  }

  private raiseFloor(sequence: number): void {
    this.floor.highest = Math.max(this.floor.highest, sequence);
  }

  private noticePrevious(current: CurrentObject, sequence: number): void {
    if (this.noticedPrevious || current.state === 'canary') return;
    this.noticedPrevious = true;
    const what = current.state === 'missing' ? 'does not exist yet' : `holds no readable canary (${current.why})`;
    const after = sequence > 1 ? ` (this uploader already wrote or saw ${sequence - 1}; sequences never go back)` : '';
    this.options.onNotice?.(`${this.target} ${what}; writing sequence ${sequence}${after}`);
  }
}

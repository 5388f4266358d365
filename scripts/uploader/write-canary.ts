/**
 * One canary write: read the current object, write the next sequence over exactly the generation
 * read (`ifGenerationMatch`), read it back. Transient failures retry the whole cycle a bounded
 * number of times; a precondition conflict re-reads and retries once.
 */
import type { Storage } from '@google-cloud/storage';
import { setTimeout as delay } from 'node:timers/promises';
import { crc32c } from '../../src/core/crc32c';
import { CANARY_CACHE_CONTROL, CANARY_CONTENT_TYPE, buildCanary, serializeCanary } from './canary-object';
import type { CanaryObject } from './canary-object';
import { ForeignObjectError, ReadBackMismatchError, RepeatedConflictError, UsageError } from './errors';
import { bucketNameProblem, objectNameProblem } from './object-name';
import { readBack } from './read-back';
import { readCurrentObject } from './read-object';
import type { CurrentObject } from './read-object';
import { httpStatusOf, isTransient } from './transient';
import { toWriteError } from './write-error';

export const DEFAULT_ATTEMPTS = 3;
export const DEFAULT_BACKOFF_MS = 250;

export interface WriteCanaryOptions {
  storage: Storage;
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
  generation: string;
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
  const cycle = new WriteCycle(options);
  for (let attempt = 1; ; attempt++) {
    try {
      const landed = await cycle.run();
      return {
        bucket: options.bucket,
        object: options.object,
        generation: landed.generation,
        sequence: landed.canary.sequence,
        writtenAt: landed.canary.written_at,
        durationMs: Math.round(performance.now() - started),
        attempts: attempt,
        conflicts: cycle.conflicts,
        supersededBy: landed.supersededBy,
      };
    } catch (error) {
      if (attempt >= attempts || !isTransient(error)) {
        throw toWriteError(error, { attempts: attempt, endpoint: options.storage.apiEndpoint, target: cycle.target });
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
  private readonly options: WriteCanaryOptions;

  constructor(options: WriteCanaryOptions) {
    this.options = options;
    this.target = `gs://${options.bucket}/${options.object}`;
    this.floor = options.sequenceFloor ?? { highest: 0 };
  }

  async run(): Promise<Landed> {
    const { storage, bucket, object } = this.options;
    let current = await readCurrentObject(storage, bucket, object);
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
        const generation = await this.save(canary, current.generation);
        this.raiseFloor(canary.sequence);
        await this.options.beforeReadBack?.(generation);
        const confirmed = await readBack(this.options, generation, canary);
        if (confirmed.state === 'confirmed') return { generation, canary, supersededBy: null };
        this.raiseFloor(confirmed.sequence);
        this.options.onNotice?.(
          `${this.target} generation ${generation} (sequence ${canary.sequence}) was replaced by generation ${confirmed.generation} ` +
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
        current = await readCurrentObject(storage, bucket, object);
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

  private async save(canary: CanaryObject, generation: string | 0): Promise<string> {
    const body = serializeCanary(canary);
    const file = this.options.storage.bucket(this.options.bucket).file(this.options.object);
    await file.save(body, {
      resumable: false,
      contentType: CANARY_CONTENT_TYPE,
      metadata: { contentType: CANARY_CONTENT_TYPE, cacheControl: CANARY_CACHE_CONTROL },
      // Makes every retry safe: a write can only replace the generation it was computed from.
      preconditionOpts: { ifGenerationMatch: generation },
      // On a checksum mismatch the library deletes the live object without a precondition, which
      // could remove another writer's canary; we check the checksum and read back ourselves.
      validation: false,
    });
    const written = file.metadata;
    const expectedCrc = crc32cBase64(body);
    if (typeof written.crc32c === 'string' && written.crc32c !== expectedCrc) {
      throw new ReadBackMismatchError(`storage reports crc32c ${written.crc32c} for what was sent, expected ${expectedCrc}`);
    }
    if (written.generation === undefined) throw new ReadBackMismatchError('storage did not report the generation written');
    return String(written.generation);
  }
}

function crc32cBase64(text: string): string {
  const checksum = Buffer.alloc(4);
  checksum.writeUInt32BE(crc32c(new TextEncoder().encode(text)));
  return checksum.toString('base64');
}

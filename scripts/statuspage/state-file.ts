/**
 * `--state FILE`: what the sync last confirmed and last wrote, kept across runs, so a one-shot run
 * from cron (or a restarted service) is edge-triggered too. Without it a run starts with no memory:
 * its first confirmed status is a change, and it writes once if the component differs.
 */
import { accessSync, constants, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { isStatuspageStatus } from './decide';
import type { SyncMemory } from './edge-trigger';
import { EMPTY_MEMORY } from './edge-trigger';
import { StateFileError, UsageError } from './errors';

export interface StateStore {
  load(): SyncMemory;
  save(memory: SyncMemory): void;
}

interface StateFileContents extends SyncMemory {
  version: 1;
  pageId: string;
  componentId: string;
  updatedAt: string;
}

/** No --state (or a dry run): the memory lives in the process and ends with it. */
export function memoryOnlyStore(): StateStore {
  let memory = EMPTY_MEMORY;
  return {
    load: () => memory,
    save: (next) => {
      memory = next;
    },
  };
}

export function stateFileStore(path: string, target: { pageId: string; componentId: string }, now: () => number = Date.now): StateStore {
  return {
    load: () => readState(path, target),
    save(memory) {
      const contents: StateFileContents = { version: 1, ...target, ...memory, updatedAt: new Date(now()).toISOString() };
      // Written next to the file and renamed over it, so a crash never leaves half a state file.
      const temporary = `${path}.${process.pid}.tmp`;
      try {
        writeFileSync(temporary, `${JSON.stringify(contents, null, 2)}\n`);
        renameSync(temporary, path);
      } catch (error) {
        throw new StateFileError(`--state ${path} cannot be written (${(error as Error).message}); until it can, a restart will not know what this sync wrote`, { cause: error });
      }
    },
  };
}

function readState(path: string, target: { pageId: string; componentId: string }): SyncMemory {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      assertWritableDirectory(path);
      return EMPTY_MEMORY;
    }
    throw new UsageError(`--state ${path} cannot be read: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UsageError(`--state ${path} is not JSON; it is not a state file of this sync: delete it to start afresh`);
  }
  const fields = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Partial<Record<keyof StateFileContents, unknown>>;
  if (fields.version !== 1 || !isStatusOrNull(fields.lastConfirmed) || !isStatusOrNull(fields.lastWritten)) {
    throw new UsageError(`--state ${path} is not a state file of this sync (version 1 with lastConfirmed and lastWritten): delete it to start afresh`);
  }
  if (fields.pageId !== target.pageId || fields.componentId !== target.componentId) {
    throw new UsageError(
      `--state ${path} belongs to page ${String(fields.pageId)} component ${String(fields.componentId)}, not ${target.pageId} ${target.componentId}: use one state file per component`,
    );
  }
  return { lastConfirmed: fields.lastConfirmed, lastWritten: fields.lastWritten };
}

/** A first run finds no file: make sure one can be written before the sync changes anything it must remember. */
function assertWritableDirectory(path: string): void {
  const directory = dirname(path);
  try {
    accessSync(directory, constants.W_OK);
  } catch {
    throw new UsageError(`--state ${path}: the directory ${directory} does not exist or is not writable; create it or choose another path`);
  }
}

function isStatusOrNull(value: unknown): value is SyncMemory['lastWritten'] {
  return value === null || isStatuspageStatus(value);
}

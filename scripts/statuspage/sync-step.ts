/** One step of the sync: poll every canary, count the check, and decide what the component gets. */
import { cliPrefix } from '../../src/node/cli-kit';
import type { SyncOptions } from './args';
import type { Decision, Observation } from './decide';
import { isBlind, observe } from './decide';
import type { SyncMemory } from './edge-trigger';
import { chooseMove, remember } from './edge-trigger';
import { readCanaries } from './read-canary';
import type { StateStore } from './state-file';
import type { StatuspageClient } from './statuspage-api';
import type { StreakTracker } from './streak';
import { isConfirmed } from './streak';

export const PREFIX = cliPrefix('statuspage');

export interface SyncContext {
  options: SyncOptions;
  fetch?: typeof fetch;
  err: (line: string) => void;
  /** Null only in dry-run mode without a key: then the component is not read either. */
  client: StatuspageClient | null;
  streak: StreakTracker;
  state: StateStore;
  memory: SyncMemory;
}

export interface Poll {
  observation: Observation;
  /** Nothing new: every reading showing the observed status was a check already counted. */
  repeat: boolean;
}

export async function poll(context: SyncContext): Promise<Poll> {
  const { options } = context;
  const readings = await readCanaries(options.healthUrls, { timeoutMs: options.timeoutSeconds * 1000, fetch: context.fetch });
  for (const reading of readings) {
    if (reading.kind === 'unreachable') context.err(`${PREFIX} canary ${reading.url} unreachable: ${reading.problem}`);
    if (reading.kind === 'misconfigured') context.err(`${PREFIX} canary ${reading.url} is blind: ${reading.problem}`);
  }
  const observation = observe(readings);
  const counted = context.streak.count(observation);
  return { observation, repeat: !isBlind(observation) && !counted };
}

/** Reads the component only once a status is confirmed, and writes only what edge-trigger.ts allows. */
export async function decide(context: SyncContext, { observation, repeat }: Poll): Promise<Decision> {
  const { options, client } = context;
  const streak = context.streak.current();
  const base = {
    pageId: options.pageId, componentId: options.componentId, streak, confirm: options.confirm, repeat,
    lastWritten: context.memory.lastWritten, dryRun: options.dryRun, observation,
  };
  if (isBlind(observation)) return { ...base, action: 'blind', from: null, to: null };
  if (!isConfirmed(streak, options.confirm)) return { ...base, action: 'not_confirmed', from: null, to: null };
  if (client === null) return { ...base, action: 'would_change', from: null, to: streak.status };

  const current = await client.getComponentStatus();
  const move = chooseMove(streak.status, current, context.memory);
  // A dry run changes nothing, its memory included, so each step says what a real run would do.
  if (options.dryRun) {
    return move === 'write' ? { ...base, action: 'would_change', from: current, to: streak.status } : { ...base, action: move, from: current, to: null };
  }
  if (move === 'write') await client.setComponentStatus(streak.status);
  keep(context, remember(context.memory, streak.status, move === 'write'));
  return move === 'write' ? { ...base, action: 'changed', from: current, to: streak.status } : { ...base, action: move, from: current, to: null };
}

function keep(context: SyncContext, memory: SyncMemory): void {
  const unchanged = memory.lastConfirmed === context.memory.lastConfirmed && memory.lastWritten === context.memory.lastWritten;
  context.memory = memory;
  if (!unchanged) context.state.save(memory);
}

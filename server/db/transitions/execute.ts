/**
 * Runs one transition as one transaction: lock the instance's phase rows, load it,
 * re-check every guard on what is locked, write the changes and their history rows,
 * commit. Serialization failures and deadlocks are retried here, never shown.
 */
import { applyTransition, transitionTitle } from '../../core/index';
import type { Actor, Explanation, StatusChange, Transition, Verdict } from '../../core/index';
import type { Database } from '../database';
import { hostColumns } from './host-tables';
import type { InstanceKey } from './instance';
import { loadInstance, withUserNames } from './load';
import { writeTransition } from './write';

/** A transition to run: on which instance, by whom, from where. */
export interface TransitionRequest {
  readonly instance: InstanceKey;
  readonly transition: Transition;
  readonly actor: Actor;
  /** Recorded in the history: `cli`, `vscode`, … */
  readonly source: string;
}

/** What running a transition did. */
export interface TransitionOutcome {
  readonly verdict: Verdict;
  /** Every guard as checked inside the transaction, on the locked rows. */
  readonly explanation: Explanation;
  /** The status changes written (empty unless `allowed`). */
  readonly changes: readonly StatusChange[];
  /** The history rows written, one per change. */
  readonly historyIds: readonly number[];
  /** When it happened by the database clock (`YYYY-MM-DDTHH:MI:SS.US`); null when nothing was written. */
  readonly at: string | null;
  /** How many times the transaction ran (more than 1 after a retried serialization failure or deadlock). */
  readonly attempts: number;
}

/** A failure that is not a refusal: the database went away, or the transaction could not be completed. */
export class TransitionError extends Error {
  constructor(message: string, readonly committed: 'no' | 'unknown', cause?: unknown) {
    super(message, { cause });
    this.name = 'TransitionError';
  }
}

/** Retried failures: serialization_failure, deadlock_detected, lock_not_available. */
const RETRIED = new Set(['40001', '40P01', '55P03']);
/** Connection-level failures: the server or the connection went away mid-transaction. */
const CONNECTION_LOST = /^(57P0[1-3]|08\d\d[0-9A-Z]?)$|^ECONNRESET$|^EPIPE$/;
const MAX_ATTEMPTS = 8;

/** The explanation given when the instance has no phase rows at all. */
export function noInstanceExplanation(transition: Transition, key: InstanceKey): Explanation {
  return {
    transition,
    title: transitionTitle(transition),
    from: null,
    to: null,
    verdict: 'refused',
    guards: [{ id: 'instance', result: 'fail', message: `cycle ${key.cycleId}, report ${key.reportId} has no workflow phases (sync a definition that applies to it first)` }],
    changes: [],
    notes: [],
  };
}

/** Whether `error` says the database connection went away (server restart, terminated backend, network). */
export function isConnectionLoss(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  if (e.code && CONNECTION_LOST.test(e.code)) return true;
  return /Connection terminated|connection (is )?closed|Client has encountered a connection error/i.test(e.message ?? '');
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `request` in one transaction (retrying serialization failures and deadlocks).
 * A refused or same-state request writes nothing. Throws `TransitionError` only when
 * the database fails (e.g. the connection is lost); refusals are outcomes, not errors.
 */
export async function runTransition(db: Database, request: TransitionRequest): Promise<TransitionOutcome> {
  const columns = await hostColumns(db);
  for (let attempt = 1; ; attempt++) {
    let reachedCommit = false;
    try {
      const outcome = await db.transaction(async (tx) => {
        const loaded = await loadInstance(tx, request.instance, { lock: true });
        if (!loaded) {
          return { verdict: 'refused' as const, explanation: noInstanceExplanation(request.transition, request.instance), changes: [], historyIds: [], at: null, attempts: attempt };
        }
        const result = applyTransition(loaded.snapshot, request.transition, request.actor, loaded.now);
        if (result.explanation.verdict !== 'allowed') {
          // Refusals and no-ops name who did what: read the names only on this (cold) path.
          const named = await withUserNames(tx, loaded.snapshot, columns.users);
          const explanation = applyTransition(named, request.transition, request.actor, loaded.now).explanation;
          return { verdict: explanation.verdict, explanation, changes: [], historyIds: [], at: null, attempts: attempt };
        }
        const historyIds = await writeTransition(tx, loaded.snapshot, result.snapshot, result.changes, { actorId: request.actor.id, source: request.source, at: loaded.now });
        reachedCommit = true;
        return { verdict: 'allowed' as const, explanation: result.explanation, changes: result.changes, historyIds, at: loaded.now, attempts: attempt };
      });
      return outcome;
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code && RETRIED.has(code) && attempt < MAX_ATTEMPTS) {
        // Jittered backoff so that retried racers do not collide again in lockstep.
        await pause(Math.random() * 5 * attempt);
        continue;
      }
      if (isConnectionLoss(error)) {
        const reason = (error as Error).message;
        throw reachedCommit
          ? new TransitionError(`the database connection was lost while committing (${reason}): the transition may or may not have been applied; check the history`, 'unknown', error)
          : new TransitionError(`the database connection was lost during the transition (${reason}): it was rolled back, nothing was written`, 'no', error);
      }
      throw error;
    }
  }
}

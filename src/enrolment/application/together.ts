import { Injectable } from '@nestjs/common';
import { type CommandContext, type CommandOutcome, CommandPath, type PreparedAppend } from '../../shared/command/command-path.js';
import type { Decider, DomainEvent } from '../../shared/domain/decider.js';
import { conflict } from '../../shared/domain/domain-error.js';
import { WrongExpectedRevisionError } from '../../shared/event-store/event-store.port.js';

/** One stream's part of a write across streams: its command, decided on its freshly loaded state. */
export interface StreamStep {
  streamId: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  decider: Decider<any, any, DomainEvent>;
  command: unknown;
}

export type Loader = <S>(streamId: string, decider: Pick<Decider<unknown, S, DomainEvent>, 'evolve' | 'initialState'>) => Promise<S>;

const MAX_ATTEMPTS = 8;

/**
 * Writes that must change several streams or none: a class change moves a child's placement and
 * two classes' members; a promotion moves a whole class. `plan` loads what it needs and names
 * one command per stream; all are decided on the states loaded and appended in one
 * `CommandPath.runAll` with those revisions as expected revisions (one transaction on SQLite). A
 * concurrent writer on any stream makes the append fail and the whole plan is decided again on
 * fresh states, so two registrars placing one child can never both win (ADR 0018).
 *
 * Without multi-stream transactions (KurrentDB) the plan's first step is its intent (the
 * placement that reserves the child, the promotion on the source class, the import batch): it is
 * appended alone first, against its revision, and only then the rest. What a crash or a
 * concurrent writer leaves of the rest is completed from the intent by `complete` here and by
 * the enrolment reactor after a restart (reconciliation.ts), so the intent is never left half done.
 */
@Injectable()
export class Together {
  constructor(private readonly commands: CommandPath) {}

  get atomic(): boolean {
    return this.commands.atomicMultiStream;
  }

  async write(context: CommandContext, plan: (load: Loader) => Promise<StreamStep[]>, complete?: () => Promise<void>): Promise<Array<CommandOutcome<unknown>>> {
    // one transaction: runAll decides again on a conflict and keeps the new states in the command path's cache
    if (this.atomic) return this.commands.runAll(async () => ({ prepared: await this.prepare(context, plan), result: (outcomes) => outcomes }));
    for (let attempt = 1; ; attempt++) {
      const prepared = await this.prepare(context, plan);
      if (prepared.length === 0) return [];
      try {
        const [intent] = await this.commands.commitAll(prepared.slice(0, 1));
        return [intent!, ...(await this.rest(prepared.slice(1), complete))];
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
        // a class so busy that eight fresh decisions all lost: the registrar tries again (409, not a 500)
        if (attempt >= MAX_ATTEMPTS) throw conflict('concurrent-modification', '该班级正被他人同时修改，请稍后重试');
      }
    }
  }

  /**
   * The decision half of `write`: the plan's steps decided on the states it loaded, nothing
   * stored. Another context's multi-stream write (a transfer's completion, ADR 24) appends them
   * with its own streams in one `CommandPath.runAll`, which decides again on a conflict.
   */
  async prepare(context: CommandContext, plan: (load: Loader) => Promise<StreamStep[]>): Promise<Array<PreparedAppend<unknown> & { decider: object }>> {
    const loaded = new Map<string, { state: unknown; revision: number }>();
    const load: Loader = async (streamId, decider) => {
      const folded = await this.commands.load(streamId, decider);
      loaded.set(streamId, { state: folded.state, revision: folded.revision });
      return folded.state;
    };
    const steps = await plan(load);
    const prepared: Array<PreparedAppend<unknown> & { decider: object }> = [];
    for (const step of steps) {
      const from = loaded.get(step.streamId) ?? (await this.commands.load(step.streamId, step.decider));
      prepared.push({ ...this.commands.prepareOn({ streamId: step.streamId, decider: step.decider, command: step.command, context }, from), decider: step.decider });
    }
    return prepared;
  }

  /** After the intent: the other streams; a concurrent writer on one of them hands over to `complete`. */
  private async rest(prepared: PreparedAppend<unknown>[], complete?: () => Promise<void>): Promise<Array<CommandOutcome<unknown>>> {
    try {
      return await this.commands.commitAll(prepared);
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError) || !complete) throw new IntentWritten(error);
      await complete();
      return [];
    }
  }
}

/** The intent is stored but the rest failed: not retried from the plan (it would decide on the intent); the reactor completes it. */
export class IntentWritten extends Error {
  constructor(override readonly cause: unknown) {
    super(`the intent of a multi-stream write is stored, the rest failed: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'IntentWritten';
  }
}

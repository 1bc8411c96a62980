import type { Decider, DomainEvent } from '../domain/decider.js';
import type { NewEvent } from '../event-store/event-store.port.js';
import { type CommandPath, type PlannedWrite, type PreparedAppend, type RunCommand, checkPinned } from './command-path.js';

/**
 * The decisions of one multi-stream write (ADR 0028, ADR 0030's case resolution and graduation),
 * gathered for `CommandPath.runAll`: each stream is loaded once, a later command on a stream
 * already in the plan is decided on the state the plan's earlier commands left it in, and every
 * stream ends as one append against the revision it was loaded at. Streams are appended in the
 * order the plan last decided on them, so a stream's events follow those of every stream decided
 * before its last command (a graduation's leaves come before the class lets the graduates go: the
 * leave history keeps the class each child left from). Nothing is stored here; a decision that refuses (throws)
 * leaves the plan as it was. A command whose context pins a revision (If-Match) is refused with
 * 412 when its stream is loaded at another one (runAll never retries that).
 */
export class WritePlan {
  private readonly steps = new Map<string, PreparedAppend<unknown> & { decider: object }>();

  constructor(private readonly commands: CommandPath) {}

  /** Decides `command` on the stream's state in this plan (loaded on first use); returns the events it decided and the new state. */
  async decide<C, S, E extends DomainEvent>(args: RunCommand<C, S, E>): Promise<{ events: NewEvent[]; state: S }> {
    const held = this.steps.get(args.streamId);
    const from = held ? { state: held.state as S, revision: held.expectedRevision } : await this.commands.load(args.streamId, args.decider);
    args.authorise?.(from.state);
    if (!held) checkPinned(args.context.expectedRevision, from.revision);
    const decided = this.commands.prepareOn(args, from);
    // re-inserted: the Map's order is the order of the last decision on each stream
    this.steps.delete(args.streamId);
    this.steps.set(args.streamId, held ? { ...held, events: [...held.events, ...decided.events], state: decided.state } : { ...decided, decider: args.decider });
    return { events: decided.events, state: decided.state };
  }

  /** A stream's state as this plan leaves it so far (read from the store when the plan has not touched it). */
  async state<S>(streamId: string, decider: Pick<Decider<unknown, S, DomainEvent>, 'evolve' | 'initialState'>): Promise<S> {
    const held = this.steps.get(streamId);
    return held ? (held.state as S) : (await this.commands.load(streamId, decider)).state;
  }

  /** The appends for runAll (streams with no events are passed too: runAll skips them). */
  get prepared(): PlannedWrite<unknown>['prepared'] {
    return [...this.steps.values()];
  }
}

import type { Decider, DomainEvent } from '../domain/decider.js';
import type { CommandPath } from './command-path.js';

/**
 * The states of one kind of stream (accounts, province settings) as read within the last `ttlMs`,
 * for a check every request or command makes (ADR 28): a write of this process to one of these
 * streams drops its state at once; `ttlMs` bounds only how late a write by another process (a
 * second instance, a command-line tool) is seen. `now` is the injected clock's time in ms.
 */
export class RecentStates<S> {
  private readonly states = new Map<string, { state: S; readAt: number }>();
  /** bumped by every write to these streams: a read that began before one must not cache what it read */
  private writes = 0;

  constructor(
    private readonly commands: CommandPath,
    private readonly streamPrefix: string,
    private readonly decider: Pick<Decider<unknown, S, DomainEvent>, 'evolve' | 'initialState'>,
    private readonly options: { ttlMs: number; limit: number },
  ) {
    commands.onWrite((streamId) => {
      if (!streamId.startsWith(streamPrefix)) return;
      this.writes++;
      this.states.delete(streamId.slice(streamPrefix.length));
    });
  }

  /** The state of stream `streamPrefix + key`: the one read within `ttlMs`, else one stream read. */
  async get(key: string, now: number): Promise<S> {
    const cached = this.states.get(key);
    if (cached && now - cached.readAt < this.options.ttlMs && now >= cached.readAt) return cached.state;
    const writesBefore = this.writes;
    const { state } = await this.commands.load(this.streamPrefix + key, this.decider);
    if (writesBefore === this.writes) {
      // Map order is insertion order: re-inserting makes this the newest, the oldest goes first
      this.states.delete(key);
      this.states.set(key, { state, readAt: now });
      if (this.states.size > this.options.limit) this.states.delete(this.states.keys().next().value!);
    }
    return state;
  }
}

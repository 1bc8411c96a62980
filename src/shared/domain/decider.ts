/**
 * A decider is the whole behaviour of one aggregate as two pure functions. Time and ids come
 * in with the command, so `decide` is deterministic; `decide` throws a DomainError for a broken
 * rule; `evolve` never throws (it must accept every event ever stored).
 */
export interface DomainEvent<T extends string = string, D extends Record<string, unknown> = Record<string, unknown>> {
  type: T;
  data: D;
  /** the reason a rule asks for (rejection, deletion, arbitration), stored in the metadata */
  reason?: string;
}

export interface Decider<C, S, E extends DomainEvent> {
  initialState: S;
  decide(command: C, state: S): E[];
  evolve(state: S, event: E): S;
}

export function fold<S, E extends DomainEvent>(decider: Pick<Decider<unknown, S, E>, 'evolve' | 'initialState'>, events: readonly E[]): S {
  return events.reduce(decider.evolve, decider.initialState);
}

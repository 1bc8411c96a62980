/** A stream's state as folded up to a revision, with the log position of that revision. */
export interface FoldedState<S> {
  state: S;
  revision: number;
  position: number;
}

/**
 * The folded states of the streams used last, per decider (a stream may be folded by several).
 * A load then reads only the events after the cached revision: usually none, one indexed
 * query. States are immutable (evolve returns new objects), so sharing them is safe. Bounded:
 * the stream used longest ago is forgotten first.
 */
export class StateCache {
  private readonly byDecider = new WeakMap<object, Map<string, FoldedState<unknown>>>();
  private readonly order = new Map<string, object>();

  constructor(private readonly limit: number) {}

  get<S>(decider: object, streamId: string): FoldedState<S> | undefined {
    return this.byDecider.get(decider)?.get(streamId) as FoldedState<S> | undefined;
  }

  set<S>(decider: object, streamId: string, folded: FoldedState<S>): void {
    let streams = this.byDecider.get(decider);
    if (!streams) this.byDecider.set(decider, (streams = new Map()));
    const current = streams.get(streamId);
    // a slower reader must not put back an older state than one already cached
    if (current && current.revision > folded.revision) return;
    streams.set(streamId, folded);
    const key = `${streamId}\u0000${this.idOf(decider)}`;
    this.order.delete(key);
    this.order.set(key, decider);
    while (this.order.size > this.limit) {
      const [oldest, owner] = this.order.entries().next().value as [string, object];
      this.order.delete(oldest);
      this.byDecider.get(owner)?.delete(oldest.slice(0, oldest.indexOf('\u0000')));
    }
  }

  private readonly ids = new WeakMap<object, number>();
  private nextId = 0;
  private idOf(decider: object): number {
    let id = this.ids.get(decider);
    if (id === undefined) this.ids.set(decider, (id = this.nextId++));
    return id;
  }
}

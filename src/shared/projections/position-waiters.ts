/** Callers waiting until a runner has processed a log position, each with its own time limit. */
export class PositionWaiters {
  private readonly waiters = new Set<{ position: number; settle: (reached: boolean) => void }>();

  /** Resolves true once `reached` is called with `position` or later, false after the timeout. */
  wait(current: number, position: number, timeoutMs: number): Promise<boolean> {
    if (current >= position) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter = {
        position,
        settle: (reached: boolean) => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve(reached);
        },
      };
      const timer = setTimeout(() => waiter.settle(false), timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /** The runner has processed `position`: everyone waiting for it or less is answered. */
  reached(position: number): void {
    for (const waiter of [...this.waiters]) if (waiter.position <= position) waiter.settle(true);
  }

  /** The runner stops: everyone is answered now, true only where `position` covers them. */
  releaseAll(position: number): void {
    for (const waiter of [...this.waiters]) waiter.settle(waiter.position <= position);
  }
}

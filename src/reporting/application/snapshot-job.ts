import { Inject, Injectable } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { CommandPath } from '../../shared/command/command-path.js';
import { EventRegistry } from '../../shared/events/event-registry.js';
import { EVENT_STORE, type EventStore } from '../../shared/event-store/event-store.port.js';
import { LOGGER } from '../../shared/infrastructure/tokens.js';
import type { Logger } from '../../shared/logging/json-logger.js';
import { beijingDate } from '../../shared/time/beijing.js';
import { CLOCK, type Clock } from '../../shared/time/clock.js';
import { type SnapshotUnit, addMonths, cutoffOf, latestDueMonth, snapshotDecider, snapshotStream } from '../domain/snapshot.decider.js';
import { tidy, unitPlace } from '../domain/units.js';
import { ProjectionManager } from '../../shared/projections/projection-manager.js';
import { findAll, READ_STORE, type ReadStore } from '../../shared/read-store/read-store.port.js';
import { COUNTERS, type UnitDoc, countersProjection } from '../projections/counters.projection.js';
import { cutoffPosition, replayCounters } from './replay.js';

const JOB = { accountId: 'system', role: 'system', organisationId: 'reporting-month-end' };

/**
 * The month-end snapshot job (issue 17, item 2). `takeDue` keeps every month whose cut-off
 * (00:00 Beijing time on its last day) has passed by the clock's now and that has no snapshot
 * yet: the cron calls it at every Beijing midnight (it finds nothing due on other days), and the
 * module calls it at start-up, so a run missed while the service was down is taken then, for
 * the same cut-off. Each month is one stream written with an expected revision (no_stream), so
 * a second run, concurrent or after a restart, records nothing.
 */
@Injectable()
export class SnapshotJob {
  private running: Promise<unknown> = Promise.resolve();
  /** the start-up run (months missed while the service was down), settled once it is done */
  startup: Promise<string[]> = Promise.resolve([]);

  constructor(
    private readonly commands: CommandPath,
    private readonly registry: EventRegistry,
    private readonly projections: ProjectionManager,
    @Inject(READ_STORE) private readonly reads: ReadStore,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @Cron('0 0 * * *', { name: 'reporting-month-end-snapshot', timeZone: 'Asia/Shanghai' })
  async onSchedule(): Promise<void> {
    try {
      await this.takeDue('schedule');
    } catch (error) {
      this.logger.error('month-end snapshot failed; the next start-up or midnight takes it', { error });
    }
  }

  /** Takes the snapshots due as of now; answers the months it recorded. One run at a time in this process. */
  takeDue(trigger: 'schedule' | 'start-up'): Promise<string[]> {
    const run = this.running.then(() => this.takeDueNow(trigger));
    this.running = run.catch(() => undefined);
    return run;
  }

  private async takeDueNow(trigger: 'schedule' | 'start-up'): Promise<string[]> {
    const now = this.clock.now();
    const [first] = await this.events.readAll({ after: 0, maxCount: 1 });
    if (!first) return [];
    // nothing to keep for months that ended before the service held anything
    let month = beijingDate(first.metadata.occurredAt).slice(0, 7);
    if (cutoffOf(month).toISOString() <= first.metadata.occurredAt) month = addMonths(month, 1);
    const last = latestDueMonth(now, beijingDate(now));
    const taken: string[] = [];
    let from = 0;
    for (; month <= last; month = addMonths(month, 1)) {
      const kept = await this.events.readStream(snapshotStream(month), { maxCount: 1 });
      if (kept[0]) {
        from = Number(kept[0].data['cutoffPosition']);
        continue;
      }
      from = await this.take(month, from, trigger);
      taken.push(month);
    }
    return taken;
  }

  private async take(month: string, from: number, trigger: 'schedule' | 'start-up'): Promise<number> {
    const cutoff = cutoffOf(month);
    const position = await cutoffPosition(this.events, cutoff, from);
    const started = Date.now();
    const live = await this.projections.readAt(countersProjection.name, position, () => findAll<UnitDoc>(this.reads, COUNTERS.units, {}), 60_000);
    const units = live
      ? live.filter((u) => Object.keys(u.counters).length > 0).map((u) => ({ unit: u.id, parent: u.parent, counters: tidy(u.counters) }))
      : await this.recomputed(position);
    units.sort((a, b) => (a.unit < b.unit ? -1 : 1));
    const outcome = await this.commands.run({
      streamId: snapshotStream(month),
      decider: snapshotDecider,
      command: { type: 'TakeSnapshot', month, cutoffAt: cutoff.toISOString(), cutoffPosition: position, trigger, units, at: this.clock.now().toISOString() },
      context: { actor: JOB, correlationId: `month-end-${month}`, causationId: null },
    });
    this.logger.info('month-end snapshot', { month, cutoffPosition: position, units: units.length, from: live ? 'live counters' : 'log', ms: Date.now() - started, recorded: outcome.events.length > 0 });
    return position;
  }

  /** The counters at `position` recomputed from the log (the live counters were already past it). */
  async recomputed(position: number): Promise<SnapshotUnit[]> {
    const tables = await replayCounters(this.events, this.registry, position);
    return Object.entries(tables.counters()).map(([unit, counters]) => ({ unit, parent: unitPlace(unit, unit.startsWith('i:') ? tables.institutions.get(unit.slice(2))?.div : undefined).parent, counters }));
  }
}

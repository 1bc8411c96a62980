import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnApplicationBootstrap, type BeforeApplicationShutdown } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { type CommandOutcome, CommandPath } from '../../../shared/command/command-path.js';
import { DomainError, unavailable } from '../../../shared/domain/domain-error.js';
import { EVENT_STORE, type EventStore } from '../../../shared/event-store/event-store.port.js';
import { LOGGER, READ_STORE } from '../../../shared/infrastructure/tokens.js';
import type { Logger } from '../../../shared/logging/json-logger.js';
import { ProjectionManager } from '../../../shared/projections/projection-manager.js';
import { type ReadStore, findAll } from '../../../shared/read-store/read-store.port.js';
import { beijingDate, beijingDayStart } from '../../../shared/time/beijing.js';
import { CLOCK, type Clock, isoNow } from '../../../shared/time/clock.js';
import { type FundingProjectEvent, type FundingProjectState, fundingProjectDecider, fundingProjectStream, monthOf } from '../../domain/funding-project.decider.js';
import { type MonthEndProject, type MonthEndState, lastMonthEndDue, monthEndDecider, monthEndStream } from '../../domain/month-end.decider.js';
import { PROJECTS, supervisionProjection } from '../../projections/supervision.projection.js';

const SYSTEM = { accountId: 'system', role: 'system', organisationId: 'system' };
const PROJECTION_WAIT_MS = 20_000;

/**
 * Keeps every funding project's figures at 00:00 Beijing time on the last day of each month
 * (domain.md section 10), on this context's own schedule until the snapshots issue takes it over.
 * The schedule looks every day at 00:00 Beijing time; at start-up it takes the month-end last
 * due if it was missed (a service down that night). The figures are those of each project's
 * stream as of the due instant, whenever the job runs; one stream per month written with "no
 * stream" makes two runs (two instances, a restart racing the schedule) leave one event.
 */
@Injectable()
export class MonthEndJob implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private stopped = false;

  constructor(
    private readonly commands: CommandPath,
    private readonly projections: ProjectionManager,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_STORE) private readonly reads: ReadStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    // not awaited: start-up does not wait for the projections to catch up
    void this.catchUp();
  }

  /** At start-up: the projections of a large province may take minutes to catch up, so it keeps trying until it could decide. */
  private async catchUp(): Promise<void> {
    // bounded: about ten minutes of waits; the next night's schedule tries again anyway
    for (let attempt = 0; attempt < 30 && !this.stopped; attempt++) {
      try {
        await this.runDue();
        return;
      } catch (error) {
        if (this.stopped) return;
        if (!(error instanceof DomainError && error.code === 'projections-behind')) {
          this.logger.error('month-end catch-up failed', { error: String(error) });
          return;
        }
        this.logger.warn('month-end catch-up waits for the projections');
      }
    }
  }

  beforeApplicationShutdown(): void {
    this.stopped = true;
  }

  @Cron('0 0 0 * * *', { name: 'supervision-month-end', timeZone: 'Asia/Shanghai' })
  async onSchedule(): Promise<void> {
    await this.runDue().catch((error: unknown) => this.logger.error('month-end failed', { error: String(error) }));
  }

  /** Takes the month-end last due at the clock's now, unless it is already kept. */
  async runDue(): Promise<CommandOutcome<MonthEndState> | null> {
    const due = lastMonthEndDue(beijingDate(this.clock.now()));
    const { state } = await this.commands.load(monthEndStream(due.month), monthEndDecider);
    if (state.taken || this.stopped) return null;
    const dueAt = beijingDayStart(due.dueDate).toISOString();
    const projects = await this.figuresAt(dueAt, due.month);
    // nothing to keep: a deployment without projects (yet) writes no empty month-ends
    if (projects.length === 0 || this.stopped) return null;
    const outcome = await this.commands.run({
      streamId: monthEndStream(due.month), decider: monthEndDecider,
      command: { type: 'TakeMonthEnd', month: due.month, dueAt, projects, at: isoNow(this.clock) },
      context: { actor: SYSTEM, correlationId: `month-end-${due.month}-${randomUUID()}`, causationId: null },
    });
    if (outcome.events.length > 0) this.logger.info('funding month-end kept', { month: due.month, projects: projects.length });
    return outcome;
  }

  /** Every project entered by `dueAt`, folded from its own stream up to that instant. */
  private async figuresAt(dueAt: string, month: string): Promise<MonthEndProject[]> {
    // the read model only names the projects: it must have seen every project entered so far
    if (!(await this.projections.waitFor(await this.events.headPosition(), PROJECTION_WAIT_MS, [supervisionProjection.name]))) {
      throw unavailable('projections-behind', '项目数据尚未同步完毕，月末数据稍后自动生成');
    }
    const projects: MonthEndProject[] = [];
    for (const doc of await findAll(this.reads, PROJECTS, { enteredAt: { $lte: dueAt } })) {
      const events = (await this.commands.history(fundingProjectStream(doc.id))).filter((e) => e.metadata.occurredAt <= dueAt);
      if (events.length === 0) continue;
      const state = events.reduce<FundingProjectState>((s, e) => fundingProjectDecider.evolve(s, e as unknown as FundingProjectEvent), fundingProjectDecider.initialState);
      const updatedThisMonth = events.some((e) => monthOf(e.metadata.occurredAt) === month);
      const { projectId, level, divisionCode, name, year, funds, allocated, spent, progress, lastMonth } = state;
      projects.push({ projectId, level, divisionCode, name, kind: String(doc['kind']), year, funds, allocated, spent, progress, lastMonth, updatedThisMonth });
    }
    return projects.sort((a, b) => a.divisionCode.localeCompare(b.divisionCode) || a.name.localeCompare(b.name, 'zh'));
  }
}

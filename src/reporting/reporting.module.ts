import { Inject, Module, type OnApplicationBootstrap, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { AccountsModule } from '../accounts/contracts/index.js';
import { OrganisationModule } from '../organisation/contracts/index.js';
import { RecordsModule } from '../records/contracts/index.js';
import { SupervisionModule } from '../supervision/contracts/index.js';
import { registerContext } from '../shared/context-manifest.js';
import { EventRegistry } from '../shared/events/event-registry.js';
import { EVENT_STORE, type EventStore } from '../shared/event-store/event-store.port.js';
import { LOGGER } from '../shared/infrastructure/tokens.js';
import type { Logger } from '../shared/logging/json-logger.js';
import { ProjectionManager } from '../shared/projections/projection-manager.js';
import { READ_STORE, type ReadStore } from '../shared/read-store/read-store.port.js';
import { ExportsController } from './api/exports.controller.js';
import { ReportsController, TodosController } from './api/reports.controller.js';
import { ExportsService } from './application/exports.service.js';
import { Graduates } from './application/graduates.js';
import { ReportLists } from './application/report-lists.js';
import { ReportsService } from './application/reports.service.js';
import { SnapshotJob } from './application/snapshot-job.js';
import { REPORTING_MANIFEST } from './reporting.manifest.js';

/**
 * Reporting (issue 17): live summary counters, month-end snapshots, reports and exports. The
 * scheduler itself (ScheduleModule.forRoot()) is registered once, in the app module.
 */
@Module({
  imports: [AccountsModule, OrganisationModule, RecordsModule, SupervisionModule],
  controllers: [ReportsController, TodosController, ExportsController],
  providers: [
    SnapshotJob, ReportsService, ReportLists, ExportsService, Graduates,
  ],
  exports: [Graduates],
})
export class ReportingModule implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  constructor(
    private readonly registry: EventRegistry,
    private readonly projections: ProjectionManager,
    private readonly job: SnapshotJob,
    private readonly exports: ExportsService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    registerContext(REPORTING_MANIFEST, this.registry, this.projections);
  }

  async onApplicationBootstrap(): Promise<void> {
    // a month-end the service was down for is taken now, for its own cut-off; in the background,
    // so a long catch-up of the counters (or a recomputation from the log) never holds the service's start
    this.job.startup = this.job.takeDue('start-up').catch((error: unknown) => {
      this.logger.error('month-end snapshot at start-up failed; the next midnight retries', { error });
      return [];
    });
    // exports that were running when the service stopped are failed with the reason, never left
    // running; in the background, as it waits for the export register to catch up with the log
    this.exports.recovered = this.exports.failInterrupted().then(
      (failed) => {
        if (failed > 0) this.logger.warn('exports interrupted by the restart were failed', { failed });
        return failed;
      },
      (error: unknown) => {
        this.logger.error('could not fail the interrupted exports', { error });
        return 0;
      },
    );
  }

  async onModuleDestroy(): Promise<void> {
    await this.job.startup;
    await this.exports.recovered;
    await this.exports.drain();
  }
}

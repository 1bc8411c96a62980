import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import { AccountsModule } from '../accounts/contracts/index.js';
import { EnrolmentModule } from '../enrolment/contracts/index.js';
import { RecordsModule } from '../records/contracts/index.js';
import { CommandPath } from '../shared/command/command-path.js';
import { registerContext } from '../shared/context-manifest.js';
import { EventRegistry } from '../shared/events/event-registry.js';
import { LOGGER } from '../shared/infrastructure/tokens.js';
import type { Logger } from '../shared/logging/json-logger.js';
import { ProjectionManager } from '../shared/projections/projection-manager.js';
import { TransfersController } from './api/transfers.controller.js';
import { TransferSteps } from './application/transfer-steps.js';
import { TransferViews } from './application/transfer-views.js';
import { TRANSFER_COMMAND_HANDLERS } from './application/transfer.handlers.js';
import { TRANSFER_QUERY_HANDLERS } from './application/transfer.queries.js';
import { transfersReactor } from './application/transfers.reactor.js';
import { TRANSFERS_MANIFEST } from './transfers.manifest.js';

/** Transfers between kindergartens (issue 15, ADR 24). */
@Module({
  imports: [AccountsModule, RecordsModule, EnrolmentModule],
  controllers: [TransfersController],
  providers: [TransferSteps, TransferViews, ...TRANSFER_COMMAND_HANDLERS, ...TRANSFER_QUERY_HANDLERS],
})
export class TransfersModule implements OnModuleInit {
  constructor(
    private readonly registry: EventRegistry,
    private readonly projections: ProjectionManager,
    private readonly commands: CommandPath,
    private readonly steps: TransferSteps,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    registerContext(TRANSFERS_MANIFEST, this.registry, this.projections);
    this.projections.registerReactors([transfersReactor(this.commands, this.steps, this.logger)]);
  }
}

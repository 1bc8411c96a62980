import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import { AccountsModule } from '../accounts/contracts/index.js';
import { RecordsModule } from '../records/contracts/index.js';
import { registerContext } from '../shared/context-manifest.js';
import { EventRegistry } from '../shared/events/event-registry.js';
import { LOGGER } from '../shared/infrastructure/tokens.js';
import type { Logger } from '../shared/logging/json-logger.js';
import { ProjectionManager } from '../shared/projections/projection-manager.js';
import { AssignmentImportsController } from './api/assignment-imports.controller.js';
import { ClassesController } from './api/classes.controller.js';
import { LeavesController, RestorationsController } from './api/leaves.controller.js';
import { ClassPlaces } from './application/class-places.js';
import { CLASS_HANDLERS } from './application/classes/class.handlers.js';
import { enrolmentReactor } from './application/enrolment.reactor.js';
import { ASSIGNMENT_IMPORT_QUERY_HANDLERS } from './application/import/assignment-import.queries.js';
import { ImportClassAssignmentsHandler } from './application/import/class-assignment-import.js';
import { LEAVE_HANDLERS } from './application/leaves/leave.handlers.js';
import { Lifecycle } from './application/lifecycle.js';
import { PLACEMENT_HANDLERS } from './application/placements/placement.handlers.js';
import { ENROLMENT_QUERY_HANDLERS } from './application/queries/enrolment.queries.js';
import { RESTORATION_HANDLERS } from './application/restorations/restoration.handlers.js';
import { Reconciliation } from './application/reconciliation.js';
import { Together } from './application/together.js';
import { ENROLMENT_MANIFEST } from './enrolment.manifest.js';

/** Classes and the child's year (issue 14): classes, placements, promotion, graduation, leaves, restorations. */
@Module({
  imports: [AccountsModule, RecordsModule],
  controllers: [ClassesController, AssignmentImportsController, LeavesController, RestorationsController],
  providers: [Together, Reconciliation, Lifecycle, ClassPlaces, ...CLASS_HANDLERS, ...PLACEMENT_HANDLERS, ...LEAVE_HANDLERS, ...RESTORATION_HANDLERS, ...ENROLMENT_QUERY_HANDLERS, ImportClassAssignmentsHandler, ...ASSIGNMENT_IMPORT_QUERY_HANDLERS],
  exports: [ClassPlaces],
})
export class EnrolmentModule implements OnModuleInit {
  constructor(
    private readonly registry: EventRegistry,
    private readonly projections: ProjectionManager,
    private readonly lifecycle: Lifecycle,
    private readonly reconciliation: Reconciliation,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    registerContext(ENROLMENT_MANIFEST, this.registry, this.projections);
    this.projections.registerReactors([enrolmentReactor(this.lifecycle, this.reconciliation, this.logger)]);
  }
}

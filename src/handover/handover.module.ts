import { Module, type OnModuleInit } from '@nestjs/common';
import { AccountsModule } from '../accounts/contracts/index.js';
import { OrganisationModule } from '../organisation/contracts/index.js';
import { RecordsModule } from '../records/contracts/index.js';
import { ReportingModule } from '../reporting/contracts/index.js';
import { registerContext } from '../shared/context-manifest.js';
import { EventRegistry } from '../shared/events/event-registry.js';
import { ProjectionManager } from '../shared/projections/projection-manager.js';
import { HandoverController } from './api/handover.controller.js';
import { HandoverProgressController, RegistrationController } from './api/progress.controller.js';
import { ENTRY_HANDLERS } from './application/entry.handlers.js';
import { HANDOVER_QUERY_HANDLERS } from './application/handover.queries.js';
import { ImportPupilListHandler } from './application/pupil-list-import.js';
import { PupilMatcher } from './application/pupil-matcher.js';
import { RegistrationNotFoundHandler } from './application/registration-feed.js';
import { SUPPLEMENT_HANDLERS } from './application/supplement.js';
import { HANDOVER_MANIFEST } from './handover.manifest.js';

/** Hand-over to primary school (学籍接续, issue 16): pupil lists, matching, confirmation, supplement, progress. */
@Module({
  imports: [AccountsModule, OrganisationModule, RecordsModule, ReportingModule],
  controllers: [HandoverController, HandoverProgressController, RegistrationController],
  providers: [PupilMatcher, ImportPupilListHandler, ...ENTRY_HANDLERS, ...SUPPLEMENT_HANDLERS, ...HANDOVER_QUERY_HANDLERS, RegistrationNotFoundHandler],
})
export class HandoverModule implements OnModuleInit {
  constructor(private readonly registry: EventRegistry, private readonly projections: ProjectionManager) {}

  onModuleInit(): void {
    registerContext(HANDOVER_MANIFEST, this.registry, this.projections);
  }
}

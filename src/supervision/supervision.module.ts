import { Module, type OnModuleInit } from '@nestjs/common';
import { AccountsModule } from '../accounts/contracts/index.js';
import { OrganisationModule } from '../organisation/contracts/index.js';
import { registerContext } from '../shared/context-manifest.js';
import { EventRegistry } from '../shared/events/event-registry.js';
import { ProjectionManager } from '../shared/projections/projection-manager.js';
import { DeclarationKindsController } from './api/declaration-kinds.controller.js';
import { DeclarationsController } from './api/declarations.controller.js';
import { ProjectsController } from './api/projects.controller.js';
import { DECLARATION_HANDLERS } from './application/declarations/declaration.handlers.js';
import { DECLARATION_QUERY_HANDLERS, DeclarationViews } from './application/declarations/declaration.queries.js';
import { KIND_HANDLERS } from './application/declarations/kind.handlers.js';
import { FundingFigures } from './application/funding-figures.js';
import { MonthEndJob } from './application/month-end/month-end.job.js';
import { PROJECT_HANDLERS } from './application/projects/project.handlers.js';
import { PROJECT_QUERY_HANDLERS } from './application/projects/project.queries.js';
import { SUPERVISION_MANIFEST } from './supervision.manifest.js';

/**
 * Supervision and funding projects (issue 19, domain.md section 9): change declarations and
 * their kinds, funding projects, central awards and the month-end job (ScheduleModule.forRoot()
 * is registered once, in app.module.ts).
 */
@Module({
  imports: [AccountsModule, OrganisationModule],
  controllers: [DeclarationKindsController, DeclarationsController, ProjectsController],
  providers: [DeclarationViews, FundingFigures, MonthEndJob, ...KIND_HANDLERS, ...DECLARATION_HANDLERS, ...DECLARATION_QUERY_HANDLERS, ...PROJECT_HANDLERS, ...PROJECT_QUERY_HANDLERS],
  exports: [FundingFigures],
})
export class SupervisionModule implements OnModuleInit {
  constructor(private readonly registry: EventRegistry, private readonly projections: ProjectionManager) {}

  onModuleInit(): void {
    registerContext(SUPERVISION_MANIFEST, this.registry, this.projections);
  }
}

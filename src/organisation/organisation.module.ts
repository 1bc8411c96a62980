import { Global, Module, type OnModuleInit } from '@nestjs/common';
import { AccountsModule } from '../accounts/contracts/index.js';
import { INSTITUTION_PLACEMENTS, type InstitutionPlacements } from '../shared/access/institution-placements.port.js';
import { EventRegistry } from '../shared/events/event-registry.js';
import { ProjectionManager } from '../shared/projections/projection-manager.js';
import { DivisionController } from './api/division.controller.js';
import { FilingController } from './api/filing.controller.js';
import { DivisionService } from './application/division.service.js';
import { InstitutionDirectory } from './application/institution-directory.service.js';
import { UnlicensedController } from './api/unlicensed.controller.js';
import { UnlicensedService } from './application/unlicensed.service.js';
import { unlicensedProjection } from './projections/unlicensed.projection.js';
import { OrganisationController } from './api/organisation.controller.js';
import { FilingService } from './application/filing.service.js';
import { filingsProjection } from './projections/filings.projection.js';
import { RegistrySyncService } from './application/registry-sync.service.js';
import { INSTITUTION_EVENTS } from './domain/institution.events.js';
import { institutionsProjection } from './projections/institutions.projection.js';

const institutionPlacements = {
  provide: INSTITUTION_PLACEMENTS,
  useFactory: (directory: InstitutionDirectory): InstitutionPlacements => ({ countyOf: async (code) => (await directory.institution(code))?.divisionCode ?? null }),
  inject: [InstitutionDirectory],
};

/**
 * Institutions from the institution-code registry, divisions, filings, unlicensed institutions.
 * Global so the accounts context (which this module imports) can check an institution's county.
 */
@Global()
@Module({
  imports: [AccountsModule], controllers: [OrganisationController, FilingController, UnlicensedController, DivisionController], providers: [RegistrySyncService, FilingService, UnlicensedService, DivisionService, InstitutionDirectory, institutionPlacements],
  exports: [InstitutionDirectory, INSTITUTION_PLACEMENTS],
})
export class OrganisationModule implements OnModuleInit {
  constructor(
    private readonly registry: EventRegistry,
    private readonly projections: ProjectionManager,
  ) {}

  onModuleInit(): void {
    this.registry.register(INSTITUTION_EVENTS);
    this.projections.register([institutionsProjection, filingsProjection, unlicensedProjection]);
  }
}

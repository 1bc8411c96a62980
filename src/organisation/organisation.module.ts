import { Global, Module, type OnModuleInit } from '@nestjs/common';
import { AccountsModule } from '../accounts/contracts/index.js';
import { registerContext } from '../shared/context-manifest.js';
import { INSTITUTION_PLACEMENTS, type InstitutionPlacements } from '../shared/access/institution-placements.port.js';
import { EventRegistry } from '../shared/events/event-registry.js';
import { ProjectionManager } from '../shared/projections/projection-manager.js';
import { DivisionController } from './api/division.controller.js';
import { FilingController } from './api/filing.controller.js';
import { DivisionService } from './application/division.service.js';
import { InstitutionDirectory } from './application/institution-directory.service.js';
import { UnlicensedController } from './api/unlicensed.controller.js';
import { UnlicensedService } from './application/unlicensed.service.js';
import { OrganisationController } from './api/organisation.controller.js';
import { FilingService } from './application/filing.service.js';
import { RegistrySyncService } from './application/registry-sync.service.js';
import { SyncInstitutionRegistryHandler } from './application/registry-sync.handlers.js';
import { FILING_HANDLERS } from './application/filing.handlers.js';
import { UNLICENSED_HANDLERS } from './application/unlicensed.handlers.js';
import { CreateCustomDivisionHandler } from './application/division.handlers.js';
import { ORGANISATION_MANIFEST } from './organisation.manifest.js';

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
  imports: [AccountsModule], controllers: [OrganisationController, FilingController, UnlicensedController, DivisionController], providers: [
    RegistrySyncService, SyncInstitutionRegistryHandler, FilingService, ...FILING_HANDLERS, UnlicensedService, ...UNLICENSED_HANDLERS, DivisionService, CreateCustomDivisionHandler, InstitutionDirectory,
    institutionPlacements,
  ],
  exports: [InstitutionDirectory, DivisionService, INSTITUTION_PLACEMENTS],
})
export class OrganisationModule implements OnModuleInit {
  constructor(
    private readonly registry: EventRegistry,
    private readonly projections: ProjectionManager,
  ) {}

  onModuleInit(): void {
    registerContext(ORGANISATION_MANIFEST, this.registry, this.projections);
  }
}

import { Module, type OnModuleInit } from '@nestjs/common';
import { AccountsModule } from '../accounts/contracts/index.js';
import { registerContext } from '../shared/context-manifest.js';
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

/** Institutions from the institution-code registry, divisions, filings, unlicensed institutions. */
@Module({
  imports: [AccountsModule], controllers: [OrganisationController, FilingController, UnlicensedController, DivisionController], providers: [
    RegistrySyncService, SyncInstitutionRegistryHandler, FilingService, ...FILING_HANDLERS, UnlicensedService, ...UNLICENSED_HANDLERS, DivisionService, CreateCustomDivisionHandler, InstitutionDirectory,
  ],
  exports: [InstitutionDirectory, DivisionService],
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

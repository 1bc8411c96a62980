// What other contexts may use of the organisation context.
export { type DivisionSuperiors, InstitutionDirectory, type InstitutionFacts } from '../application/institution-directory.service.js';
export { DivisionService } from '../application/division.service.js';
export { OrganisationModule } from '../organisation.module.js';

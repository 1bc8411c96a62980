// What other contexts may use of the organisation context.
export { type DivisionSuperiors, InstitutionDirectory, type InstitutionFacts } from '../application/institution-directory.service.js';
export { DivisionService } from '../application/division.service.js';
export { OrganisationModule } from '../organisation.module.js';
/** The registry's institution events other contexts may follow (the feed): data carries the 10-digit `code`. */
export const INSTITUTION_REGISTRY_EVENT_TYPES = ['InstitutionRegistered', 'InstitutionRenamed', 'InstitutionRegistryDetailsChanged', 'InstitutionRevoked', 'InstitutionReinstated'] as const;

import type { ContextManifest } from '../shared/context-manifest.js';
import { INSTITUTION_EVENTS } from './domain/institution.events.js';
import { filingsProjection } from './projections/filings.projection.js';
import { institutionsProjection } from './projections/institutions.projection.js';
import { unlicensedProjection } from './projections/unlicensed.projection.js';

/** Institutions, divisions, filings and unlicensed institutions: what the context stores and builds. */
export const ORGANISATION_MANIFEST: ContextManifest = {
  name: 'organisation',
  events: INSTITUTION_EVENTS,
  projections: [institutionsProjection, filingsProjection, unlicensedProjection],
};

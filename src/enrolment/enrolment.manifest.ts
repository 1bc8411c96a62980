import type { ContextManifest } from '../shared/context-manifest.js';
import { ENROLMENT_EVENTS } from './domain/enrolment.events.js';
import { assignmentImportsProjection } from './projections/assignment-imports.projection.js';
import { enrolmentProjection } from './projections/enrolment.projection.js';

/** Classes, placements, promotions, graduations and restoration applications, class-assignment import batches: what the context stores and builds. */
export const ENROLMENT_MANIFEST: ContextManifest = {
  name: 'enrolment',
  events: ENROLMENT_EVENTS,
  projections: [enrolmentProjection, assignmentImportsProjection],
};

import type { ContextManifest } from '../shared/context-manifest.js';
import { AUDIT_EVENTS } from './domain/audit.events.js';
import { personalDataReadsProjection } from './projections/personal-data-reads.projection.js';

/** The read audit of children's personal data: what the context stores and builds. */
export const AUDIT_MANIFEST: ContextManifest = { name: 'audit', events: AUDIT_EVENTS, projections: [personalDataReadsProjection] };

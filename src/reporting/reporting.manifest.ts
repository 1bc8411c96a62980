import type { ContextManifest } from '../shared/context-manifest.js';
import { REPORTING_EVENTS } from './domain/reporting.events.js';
import { reportingProjection } from './projections/reporting.projection.js';

/**
 * Month snapshots and export jobs, and their lists (issue 17). The live summary counters are kept
 * by the context's own runner (application/counters.runner.ts), not a ProjectionDefinition: see ADR 26.
 */
export const REPORTING_MANIFEST: ContextManifest = { name: 'reporting', events: REPORTING_EVENTS, projections: [reportingProjection] };

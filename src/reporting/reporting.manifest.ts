import type { ContextManifest } from '../shared/context-manifest.js';
import { REPORTING_EVENTS } from './domain/reporting.events.js';
import { countersProjection } from './projections/counters.projection.js';
import { reportingProjection } from './projections/reporting.projection.js';

/**
 * Month snapshots and export jobs, and their lists (issue 17); the live summary counters, a
 * projection that runs on the main thread (the month-end snapshot holds it at its cut-off, ADR 26).
 */
export const REPORTING_MANIFEST: ContextManifest = { name: 'reporting', events: REPORTING_EVENTS, projections: [reportingProjection, countersProjection] };

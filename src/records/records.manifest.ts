import type { ContextManifest } from '../shared/context-manifest.js';
import { DUPLICATE_CASE_EVENTS } from './domain/duplicate-case.events.js';
import { RECORD_EVENTS } from './domain/record.events.js';
import { duplicateCasesProjection } from './projections/duplicate-cases.projection.js';
import { recordImportsProjection } from './projections/record-imports.projection.js';
import { recordsProjection } from './projections/records.projection.js';

/** Child records, de-duplication keys, duplicate cases and import batches: what the context stores and builds. */
export const RECORDS_MANIFEST: ContextManifest = {
  name: 'records',
  events: [...RECORD_EVENTS, ...DUPLICATE_CASE_EVENTS],
  projections: [recordsProjection, recordImportsProjection, duplicateCasesProjection],
};

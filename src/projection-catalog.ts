import { accountsProjection } from './accounts/projections/accounts.projection.js';
import { filingsProjection } from './organisation/projections/filings.projection.js';
import { institutionsProjection } from './organisation/projections/institutions.projection.js';
import { unlicensedProjection } from './organisation/projections/unlicensed.projection.js';
import { duplicateCasesProjection } from './records/projections/duplicate-cases.projection.js';
import { recordImportsProjection } from './records/projections/record-imports.projection.js';
import { recordsProjection } from './records/projections/records.projection.js';
import { compiledWorkerScript } from './shared/infrastructure/worker-script.js';
import type { ProjectionDefinition } from './shared/projections/projection-definition.js';

/** Every projection of the service, by context: what the rebuild CLI can rebuild. */
export const PROJECTION_CATALOG: Record<string, readonly ProjectionDefinition[]> = {
  accounts: [accountsProjection],
  organisation: [institutionsProjection, filingsProjection, unlicensedProjection],
  records: [recordsProjection, recordImportsProjection, duplicateCasesProjection],
};

export const ALL_PROJECTIONS: readonly ProjectionDefinition[] = Object.values(PROJECTION_CATALOG).flat();

/** The compiled projection worker (ADR 8); null when it has not been built. */
export const projectionWorkerScript = (): URL | null => compiledWorkerScript(import.meta.url, './projection-worker.js');

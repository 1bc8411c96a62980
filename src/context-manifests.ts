import { ACCOUNTS_MANIFEST } from './accounts/accounts.manifest.js';
import { ENROLMENT_MANIFEST } from './enrolment/enrolment.manifest.js';
import { HANDOVER_MANIFEST } from './handover/handover.manifest.js';
import { ORGANISATION_MANIFEST } from './organisation/organisation.manifest.js';
import { RECORDS_MANIFEST } from './records/records.manifest.js';
import type { ContextManifest } from './shared/context-manifest.js';
import { SETTINGS_MANIFEST } from './settings/settings.manifest.js';
import { SHARING_MANIFEST } from './sharing/sharing.manifest.js';
import { TRANSFERS_MANIFEST } from './transfers/transfers.manifest.js';
import { REPORTING_MANIFEST } from './reporting/reporting.manifest.js';
import { SUPERVISION_MANIFEST } from './supervision/supervision.manifest.js';
import { AUDIT_MANIFEST } from './audit/audit.manifest.js';

/**
 * The manifest of every bounded context: the one list the event catalog, the projection
 * catalog (worker, rebuild CLI) and the schema test read. A new context adds its manifest here
 * and its module to CONTEXT_MODULES (app.module.ts).
 */
export const CONTEXT_MANIFESTS: readonly ContextManifest[] = [ACCOUNTS_MANIFEST, ORGANISATION_MANIFEST, SETTINGS_MANIFEST, RECORDS_MANIFEST, SHARING_MANIFEST, ENROLMENT_MANIFEST, TRANSFERS_MANIFEST, REPORTING_MANIFEST, SUPERVISION_MANIFEST, HANDOVER_MANIFEST, AUDIT_MANIFEST];

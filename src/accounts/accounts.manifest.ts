import type { ContextManifest } from '../shared/context-manifest.js';
import { ACCOUNT_EVENTS } from './domain/account.events.js';
import { accountsProjection } from './projections/accounts.projection.js';

/** Accounts and login sessions: what the context stores and builds. */
export const ACCOUNTS_MANIFEST: ContextManifest = { name: 'accounts', events: ACCOUNT_EVENTS, projections: [accountsProjection] };

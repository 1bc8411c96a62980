import type { ContextManifest } from '../shared/context-manifest.js';
import { TRANSFER_EVENTS } from './domain/transfers.events.js';
import { transfersProjection } from './projections/transfers.projection.js';

/** Transfers between kindergartens (issue 15): one stream per transfer, one reservation per child, the transfers read model. */
export const TRANSFERS_MANIFEST: ContextManifest = {
  name: 'transfers',
  events: TRANSFER_EVENTS,
  projections: [transfersProjection],
};

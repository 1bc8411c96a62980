import type { ContextManifest } from '../shared/context-manifest.js';
import { SHARING_EVENTS } from './domain/sharing.events.js';
import { apiClientsProjection } from './projections/api-clients.projection.js';
import { feedEntitiesProjection } from './projections/feed-entities.projection.js';

/** API clients and the change feed (ADR 21). */
export const SHARING_MANIFEST: ContextManifest = { name: 'sharing', events: SHARING_EVENTS, projections: [apiClientsProjection, feedEntitiesProjection] };

import type { ContextManifest } from '../shared/context-manifest.js';
import { SUPERVISION_EVENTS } from './domain/supervision.events.js';
import { supervisionProjection } from './projections/supervision.projection.js';

/** Change declarations and their kinds, funding projects, central awards, month-end figures: what the context stores and builds. */
export const SUPERVISION_MANIFEST: ContextManifest = {
  name: 'supervision',
  events: SUPERVISION_EVENTS,
  projections: [supervisionProjection],
};

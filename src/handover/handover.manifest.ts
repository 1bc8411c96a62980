import type { ContextManifest } from '../shared/context-manifest.js';
import { HANDOVER_EVENTS } from './domain/handover.events.js';
import { handoverProjection } from './projections/handover.projection.js';

/** Hand-over to primary school (学籍接续, issue 16): the schools' new-pupil lists, their entries and the progress tallies. */
export const HANDOVER_MANIFEST: ContextManifest = {
  name: 'handover',
  events: HANDOVER_EVENTS,
  projections: [handoverProjection],
};

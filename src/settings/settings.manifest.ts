import type { ContextManifest } from '../shared/context-manifest.js';
import { SETTINGS_EVENTS } from './domain/settings.events.js';

/** Province settings (feature switches, business windows): read from their stream, no projection. */
export const SETTINGS_MANIFEST: ContextManifest = { name: 'settings', events: SETTINGS_EVENTS, projections: [] };

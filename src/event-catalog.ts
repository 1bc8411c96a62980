import { CONTEXT_MANIFESTS } from './context-manifests.js';
import type { EventDefinition } from './shared/events/event-definition.js';

/** Every stored event type of the service, by context (from the manifests); the schema test checks each against event-schemas/. */
export const EVENT_CATALOG: Record<string, readonly EventDefinition[]> = Object.fromEntries(CONTEXT_MANIFESTS.map((m) => [m.name, m.events]));

export const ALL_EVENT_DEFINITIONS: readonly EventDefinition[] = Object.values(EVENT_CATALOG).flat();

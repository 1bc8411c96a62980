import type { EventDefinition } from './events/event-definition.js';
import type { EventRegistry } from './events/event-registry.js';
import type { ProjectionDefinition } from './projections/projection-definition.js';
import type { ProjectionManager } from './projections/projection-manager.js';

/**
 * What a bounded context stores and builds, listed once: its event types (checked against
 * event-schemas/ at start and by the schema test) and its projections (run by the projection
 * worker, rebuilt by the CLI). The context's module registers it; the service's catalogs
 * (src/context-manifests.ts) read the same list. Reactors need the context's services, so the
 * module registers those itself.
 */
export interface ContextManifest {
  /** the context's folder name under src/ and its event-schemas/ folder */
  name: string;
  events: readonly EventDefinition[];
  projections: readonly ProjectionDefinition[];
}

/** Registers the context's events and projections; called from the context module's onModuleInit. */
export function registerContext(manifest: ContextManifest, registry: EventRegistry, projections?: ProjectionManager): void {
  registry.register(manifest.events);
  if (manifest.projections.length > 0) projections?.register(manifest.projections);
}

import { CONTEXT_MANIFESTS } from './context-manifests.js';
import { compiledWorkerScript } from './shared/infrastructure/worker-script.js';
import type { ProjectionDefinition } from './shared/projections/projection-definition.js';

/** Every projection of the service, by context (from the manifests): what the worker runs and the rebuild CLI can rebuild. */
export const PROJECTION_CATALOG: Record<string, readonly ProjectionDefinition[]> = Object.fromEntries(
  CONTEXT_MANIFESTS.filter((m) => m.projections.length > 0).map((m) => [m.name, m.projections]),
);

export const ALL_PROJECTIONS: readonly ProjectionDefinition[] = Object.values(PROJECTION_CATALOG).flat();

/** The compiled projection worker (ADR 8); null when it has not been built. */
export const projectionWorkerScript = (): URL | null => compiledWorkerScript(import.meta.url, './projection-worker.js');

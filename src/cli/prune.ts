import type { AppConfig } from '../config/app-config.js';
import { openReadStore } from '../shared/infrastructure/store-factory.js';
import type { Logger } from '../shared/logging/json-logger.js';
import { type ProjectionDefinition, parseCheckpointKey, physicalCollection } from '../shared/projections/projection-definition.js';
import { refuseUnsafeFolder } from './rebuild.js';

export interface PruneRequest {
  config: AppConfig;
  projections: readonly ProjectionDefinition[];
  logger: Logger;
  /** list what would be dropped, drop nothing */
  dryRun?: boolean;
}

export interface PrunedVersion {
  name: string;
  version: number;
  /** the physical collections dropped (or, on a dry run, to be dropped) */
  collections: string[];
}

export interface PruneReport {
  pruned: PrunedVersion[];
  /** checkpoints of projections this build does not know: left alone (another build may still serve them) */
  unknown: string[];
}

/**
 * Drops what older versions of this build's projections left in the read store: a version bump
 * replays into new collections and leaves the old ones (ADR 34), so that a rollback to the
 * previous build still finds its read models. Once the new version serves, the old copy is dead
 * weight, and in the records' case a second copy of sealed personal data and its search tokens.
 * Older versions are found by their checkpoints (`name@vN`, on every store); their collections
 * are taken to have the current version's names, which is how every bump so far was made.
 */
export async function pruneProjections(request: PruneRequest): Promise<PruneReport> {
  refuseUnsafeFolder(request.config, 'prune');
  const known = new Map(request.projections.map((p) => [p.name, p]));
  const reads = await openReadStore(request.config);
  const report: PruneReport = { pruned: [], unknown: [] };
  try {
    for (const { projection: key } of await reads.listCheckpoints()) {
      const old = parseCheckpointKey(key);
      if (!old) continue; // a reactor's position, not a read model
      const current = known.get(old.name);
      if (!current) {
        report.unknown.push(key);
        continue;
      }
      if (old.version >= current.version) continue;
      const collections = Object.keys(current.collections).map((c) => physicalCollection(old, c));
      if (!request.dryRun) {
        for (const collection of collections) await reads.dropCollection(collection);
        await reads.deleteCheckpoint(key);
        request.logger.info('projection version dropped', { projection: old.name, version: old.version, collections });
      }
      report.pruned.push({ ...old, collections });
    }
  } finally {
    await reads.close();
  }
  return report;
}

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { AppConfig } from '../config/app-config.js';
import type { EventDefinition } from '../shared/events/event-definition.js';
import { EventRegistry, defaultSchemaDir } from '../shared/events/event-registry.js';
import { SERVICE_LOCK_FILE, liveServiceLock } from '../shared/infrastructure/service-lock.js';
import { openEventStore, openReadStore } from '../shared/infrastructure/store-factory.js';
import type { Logger } from '../shared/logging/json-logger.js';
import type { ProjectionDefinition } from '../shared/projections/projection-definition.js';
import { ProjectionRunner } from '../shared/projections/projection-runner.js';

export interface RebuildRequest {
  config: AppConfig;
  projections: readonly ProjectionDefinition[];
  events: readonly EventDefinition[];
  /** names to rebuild; empty = all */
  names: string[];
  schemaDirs?: string[];
  logger: Logger;
}

export interface RebuildReport {
  name: string;
  version: number;
  events: number;
  position: number;
  seconds: number;
  eventsPerSecond: number;
}

export class RebuildRefused extends Error {
  override readonly name = 'RebuildRefused';
}

/**
 * A rebuild needs the folder the service wrote (issue 22, item 12): a mistyped DATA_DIR would
 * otherwise get new empty stores and a report of success, and a service still running on the
 * folder would keep writing the collections being rebuilt (or read them while they are dropped).
 */
export function refuseUnsafeFolder(config: AppConfig, action = 'rebuild'): void {
  const { dataDir } = config;
  if (!config.eventStoreUrl && !existsSync(join(dataDir, 'events.sqlite'))) {
    throw new RebuildRefused(`DATA_DIR=${dataDir} holds no event store (events.sqlite): nothing to ${action}, and no empty stores were created. Check DATA_DIR (the service's data folder).`);
  }
  const lock = liveServiceLock(dataDir);
  if (lock) {
    throw new RebuildRefused(
      `a service is running on DATA_DIR=${dataDir} (process ${lock.pid} on ${lock.host}, ${join(dataDir, SERVICE_LOCK_FILE)}): stop it first, then ${action}. ` +
        'If no service runs there any more, delete that file.',
    );
  }
}

/**
 * Drops each named projection's current-version collections and checkpoint and replays the
 * whole log into them. Run it while the service is stopped: a running service would keep
 * writing the same collections.
 */
export async function rebuildProjections(request: RebuildRequest): Promise<RebuildReport[]> {
  refuseUnsafeFolder(request.config);
  const known = new Map(request.projections.map((p) => [p.name, p]));
  const unknown = request.names.filter((n) => !known.has(n));
  if (unknown.length > 0) {
    throw new Error(`unknown projection(s): ${unknown.join(', ')}; known: ${[...known.keys()].join(', ') || '(none)'}`);
  }
  const chosen = request.names.length > 0 ? request.names.map((n) => known.get(n)!) : [...request.projections];
  const registry = new EventRegistry([defaultSchemaDir(), ...(request.schemaDirs ?? [])]).register(request.events);
  const events = await openEventStore(request.config);
  const reads = await openReadStore(request.config);
  const reports: RebuildReport[] = [];
  try {
    for (const projection of chosen) {
      const started = process.hrtime.bigint();
      let lastLog = 0;
      const runner = new ProjectionRunner(projection, events, reads, registry, request.logger);
      const result = await runner.rebuild((position, head) => {
        if (Date.now() - lastLog > 2000) {
          lastLog = Date.now();
          request.logger.info('rebuilding', { projection: projection.name, position, head });
        }
      });
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const report = { name: projection.name, version: projection.version, ...result, seconds, eventsPerSecond: Math.round(result.events / Math.max(seconds, 1e-9)) };
      // under its own key: a field called name is redacted as personal data (ADR 20)
      const { name, ...figures } = report;
      request.logger.info('rebuilt', { projection: name, ...figures });
      reports.push(report);
    }
  } finally {
    await events.close();
    await reads.close();
  }
  return reports;
}

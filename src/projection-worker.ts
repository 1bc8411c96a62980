import { parentPort, workerData } from 'node:worker_threads';
import type { AppConfig } from './config/app-config.js';
import { ALL_EVENT_DEFINITIONS } from './event-catalog.js';
import { ALL_PROJECTIONS } from './projection-catalog.js';
import { EventRegistry, defaultSchemaDir } from './shared/events/event-registry.js';
import { openEventStore, openReadStore } from './shared/infrastructure/store-factory.js';
import type { Logger, LogLevel } from './shared/logging/json-logger.js';
import { ProjectionRunner } from './shared/projections/projection-runner.js';
import type { FromProjectionWorker, ProjectionWorkerData, ToProjectionWorker } from './shared/projections/projection-worker-host.js';

/**
 * The projection worker thread (ADR 8): runs the service's projections on their own store
 * connections, reports each one's progress to the main thread, stops when told to.
 */
const port = parentPort;
if (!port) throw new Error('projection-worker.js runs as a worker thread of the service');
const data = workerData as ProjectionWorkerData;
const post = (message: FromProjectionWorker): void => port.postMessage(message);
// an Error crosses the thread as plain fields, so its stack reaches the main thread's log
const plain = (fields: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v instanceof Error ? { type: v.name, message: v.message, stack: v.stack } : v]));
const log = (level: LogLevel) => (message: string, fields?: Record<string, unknown>) => post({ type: 'log', level, message, ...(fields ? { fields: plain(fields) } : {}) });
const logger: Logger = { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };

const registry = new EventRegistry([defaultSchemaDir(), ...data.schemaDirs]).register(ALL_EVENT_DEFINITIONS);
const config = data.config as AppConfig;
const events = await openEventStore(config);
const reads = await openReadStore(config);
const runners = ALL_PROJECTIONS.filter((p) => data.names.includes(p.name)).map(
  (definition) => new ProjectionRunner(definition, events, reads, registry, logger, (status) => post({ type: 'status', status })),
);
for (const runner of runners) await runner.prepare();
post({ type: 'ready', statuses: runners.map((r) => r.snapshot()) });
for (const runner of runners) runner.start();

port.on('message', (message: ToProjectionWorker) => {
  if (message.type === 'appended') {
    events.appendedElsewhere?.(message.head);
    return;
  }
  void (async () => {
    await Promise.all(runners.map((r) => r.stop()));
    await events.close();
    await reads.close();
    port.close();
  })();
});

import { type DynamicModule, Global, Inject, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { AppConfig } from '../../config/app-config.js';
import { CommandPath } from '../command/command-path.js';
import { EventRegistry, defaultSchemaDir } from '../events/event-registry.js';
import type { EventStore } from '../event-store/event-store.port.js';
import type { FileStore } from '../files/file-store.port.js';
import type { Logger } from '../logging/json-logger.js';
import { ProjectionManager } from '../projections/projection-manager.js';
import { ProjectionWorkerHost } from '../projections/projection-worker-host.js';
import type { ReadStore } from '../read-store/read-store.port.js';
import { CLOCK, type Clock, systemClock } from '../time/clock.js';
import { WORKING_DAYS, type WorkingDays, chinaWorkingDays, uncoveredYearsAhead } from '../time/working-days.js';
import { KEYED_HASHER } from '../personal-data/keyed-hash.js';
import { openKeyedHasher } from '../personal-data/hash-secret.js';
import { ReaderThreadsReadStore } from '../read-store/reader-threads.read-store.js';
import { holdServiceLock } from './service-lock.js';
import { compiledWorkerScript } from './worker-script.js';
import { openEventStore, openFileStore, openReadStore, openShredder } from './store-factory.js';
import { DATA_KEY_SHREDDER, type DataKeyShredder } from '../personal-data/data-key-shredder.js';
import { APP_CONFIG, EVENT_STORE, FILE_STORE, LOGGER, READ_STORE } from './tokens.js';

export interface InfrastructureOptions {
  config: AppConfig;
  logger: Logger;
  /** extra folders of event schemas (tests add their fixtures' schemas) */
  schemaDirs?: string[];
  /** the compiled worker entry and the projections it can run (the service's catalog) */
  projectionWorker?: { script: URL | null; names: readonly string[] };
  /** the service's clock (tests pass a SettableClock); the system clock when unset */
  clock?: Clock;
}

/**
 * The stores (events, read models, uploaded files), the event registry, the command path and
 * the projections, shared by every context. Contexts register their event definitions and
 * projections in onModuleInit; the projections start once every module has done so.
 */
@Global()
@Module({})
export class InfrastructureModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    private readonly projections: ProjectionManager,
    private readonly commands: CommandPath,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_STORE) private readonly reads: ReadStore,
    @Inject(FILE_STORE) private readonly files: FileStore,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(DATA_KEY_SHREDDER) private readonly shredder: DataKeyShredder & { close?: () => void },
  ) {}

  static forRoot(options: InfrastructureOptions): DynamicModule {
    const registry = new EventRegistry([defaultSchemaDir(), ...(options.schemaDirs ?? [])]);
    return {
      module: InfrastructureModule,
      providers: [
        { provide: APP_CONFIG, useValue: options.config },
        { provide: LOGGER, useValue: options.logger },
        { provide: CLOCK, useValue: options.clock ?? systemClock },
        { provide: WORKING_DAYS, useFactory: (clock: Clock) => workingDays(options, clock), inject: [CLOCK] },
        { provide: EventRegistry, useValue: registry },
        // keyed hashes of personal values (de-duplication keys): the deployment secret, ADR 22
        { provide: KEYED_HASHER, useFactory: () => openKeyedHasher(options.config) },
        { provide: EVENT_STORE, useFactory: () => openEventStore(options.config) },
        { provide: READ_STORE, useFactory: () => openServiceReadStore(options) },
        // uploaded evidence lives in the data folder whichever event and read stores are configured
        { provide: DATA_KEY_SHREDDER, useFactory: () => openShredder(options.config) },
        { provide: FILE_STORE, useFactory: () => openFileStore(options.config) },
        { provide: CommandPath, useFactory: (store: EventStore, clock: Clock) => new CommandPath(store, registry, clock), inject: [EVENT_STORE, CLOCK] },
        {
          provide: ProjectionManager,
          useFactory: (events: EventStore, reads: ReadStore) => new ProjectionManager(events, reads, registry, options.logger, workerHost(options, events)),
          inject: [EVENT_STORE, READ_STORE],
        },
      ],
      exports: [APP_CONFIG, LOGGER, CLOCK, WORKING_DAYS, KEYED_HASHER, EventRegistry, EVENT_STORE, READ_STORE, FILE_STORE, DATA_KEY_SHREDDER, CommandPath, ProjectionManager],
    };
  }

  private releaseLock: (() => void) | null = null;

  async onApplicationBootstrap(): Promise<void> {
    // offline tools (projections:rebuild) refuse a DATA_DIR a live service holds
    this.releaseLock = holdServiceLock(this.config.dataDir);
    await this.projections.start();
    this.logger.info('projections started', { projections: this.projections.names(), thread: this.projections.thread, eventStore: this.events.kind, readStore: this.reads.kind, readThreads: this.reads instanceof ReaderThreadsReadStore ? this.reads.threads : 0 });
  }

  /** Runs after the HTTP server stopped taking requests: finish commands, stop projections, close stores. */
  async onApplicationShutdown(signal?: string): Promise<void> {
    this.logger.debug('shutdown: draining commands');
    await this.commands.drain();
    this.logger.debug('shutdown: stopping projections');
    await this.projections.stop();
    await this.events.close();
    await this.reads.close();
    await this.files.close();
    this.shredder.close?.();
    this.releaseLock?.();
    this.logger.info('stores closed', { signal: signal ?? null });
  }
}

/** China's working days with the operator's holiday file; warns at start while the coming weeks reach a year neither covers. */
function workingDays(options: InfrastructureOptions, clock: Clock): WorkingDays {
  const days = chinaWorkingDays(options.config.holidays);
  const missing = uncoveredYearsAhead(days, clock.now());
  if (missing.length > 0) {
    options.logger.warn('holiday arrangement unknown: working-day deadlines in these years are refused until HOLIDAYS_FILE states them', { years: missing });
  }
  return days;
}

/** The read store, its queries answered by reader threads when READ_THREADS asks for them and the store is the embedded one (ADR 33). */
async function openServiceReadStore(options: InfrastructureOptions): Promise<ReadStore> {
  const local = await openReadStore(options.config, { writer: !projectionsInWorker(options) });
  const threads = options.config.mongodbUrl ? 0 : options.config.readThreads;
  if (threads === 0) return local;
  const script = compiledWorkerScript(import.meta.url, './reader-thread.worker.js');
  if (!script) {
    options.logger.warn('reader thread not built (run npm run build): queries run on the request thread', {});
    return local;
  }
  const pool = new ReaderThreadsReadStore(local, script, { config: options.config }, threads, options.logger);
  await pool.ready();
  return pool;
}

const projectionsInWorker = (options: InfrastructureOptions): boolean => options.config.projectionsThread === 'worker' && !!options.projectionWorker?.script;

function workerHost(options: InfrastructureOptions, events: EventStore): ProjectionWorkerHost | null {
  const worker = options.projectionWorker;
  if (!projectionsInWorker(options) || !worker?.script) {
    if (options.config.projectionsThread === 'worker' && worker) options.logger.warn('projection worker not built (run npm run build): projections run on the main thread', {});
    return null;
  }
  const data = { config: options.config, schemaDirs: options.schemaDirs ?? [] };
  return new ProjectionWorkerHost(worker.script, data, new Set(worker.names), events, options.logger);
}

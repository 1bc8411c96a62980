import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { type EventStore, WrongExpectedRevisionError } from '../event-store/event-store.port.js';
import type { ProjectionManager } from '../projections/projection-manager.js';

const PREFIX = 'preschool_';

/**
 * The service's Prometheus metrics, in a registry of its own (not prom-client's global one, so
 * that several apps in one process, as in the tests, do not share counters). Request, append
 * and import timings are observed as they happen; projection and reactor positions are read
 * from the projection manager when scraped.
 */
export class ServiceMetrics {
  readonly registry = new Registry();

  readonly httpDuration = new Histogram({
    name: `${PREFIX}http_request_duration_seconds`,
    help: 'HTTP requests by method, route pattern (never the raw URL) and status; _count gives the rate',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  readonly appendDuration = new Histogram({
    name: `${PREFIX}event_store_append_duration_seconds`,
    help: 'Event-store appends (one stream or several in one call) until the store confirmed them',
    labelNames: ['operation', 'outcome'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  readonly importDuration = new Histogram({
    name: `${PREFIX}import_duration_seconds`,
    help: 'Uploads of a filled template or of the institution registry, from request to report, by kind and status',
    labelNames: ['kind', 'status'] as const,
    buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
    registers: [this.registry],
  });

  readonly loginFailures = new Counter({
    name: `${PREFIX}login_failures_total`,
    help: 'Refused logins: wrong account or password (401), throttled (429), other refusals (4xx)',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  constructor(events: EventStore, projections: ProjectionManager) {
    collectDefaultMetrics({ register: this.registry });
    new Gauge({
      name: `${PREFIX}event_store_head_position`,
      help: 'Position of the last event in the log',
      registers: [this.registry],
      async collect() {
        this.set(await events.headPosition());
      },
    });
    const projectionGauge = (name: string, help: string, value: (p: Awaited<ReturnType<ProjectionManager['lag']>>[number]) => number) =>
      new Gauge({
        name: `${PREFIX}projection_${name}`,
        help,
        labelNames: ['projection'] as const,
        registers: [this.registry],
        async collect() {
          this.reset();
          for (const p of await projections.lag()) this.set({ projection: p.name }, value(p));
        },
      });
    projectionGauge('position', 'Log position the projection has processed', (p) => p.position);
    projectionGauge('behind_events', 'Log positions between the head and the projection', (p) => p.behind);
    projectionGauge('lag_seconds', 'Age of the oldest event the projection has not processed yet (0 when caught up)', (p) => p.lagMs / 1000);
    projectionGauge('running', '1 while the projection runs, 0 when stopped or failed', (p) => (p.state === 'running' ? 1 : 0));
    const reactorGauge = (name: string, help: string, value: (r: Awaited<ReturnType<ProjectionManager['reactorLag']>>[number]) => number) =>
      new Gauge({
        name: `${PREFIX}reactor_${name}`,
        help,
        labelNames: ['reactor'] as const,
        registers: [this.registry],
        async collect() {
          this.reset();
          for (const r of await projections.reactorLag()) this.set({ reactor: r.name }, value(r));
        },
      });
    reactorGauge('position', 'Log position the reactor has processed', (r) => r.position);
    reactorGauge('backlog_events', 'Log positions the reactor has still to react to', (r) => r.behind);
    reactorGauge('failing', '1 while the reactor retries after an error', (r) => (r.error ? 1 : 0));
  }

  /** Times the store's appends: the instance's own methods are wrapped, so every caller is measured. */
  instrument(events: EventStore): void {
    const timed = <A extends unknown[], R>(operation: string, call: (...args: A) => Promise<R>) =>
      async (...args: A): Promise<R> => {
        const end = this.appendDuration.startTimer({ operation });
        try {
          const result = await call(...args);
          end({ outcome: 'ok' });
          return result;
        } catch (error) {
          end({ outcome: error instanceof WrongExpectedRevisionError ? 'conflict' : 'error' });
          throw error;
        }
      };
    events.append = timed('append', events.append.bind(events));
    events.appendMany = timed('appendMany', events.appendMany.bind(events));
  }
}

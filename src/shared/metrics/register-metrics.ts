import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { EventStore } from '../event-store/event-store.port.js';
import { EVENT_STORE } from '../infrastructure/tokens.js';
import { ServiceMetrics } from './service-metrics.js';

/** Routes whose duration is an import's (the upload is read, checked and stored within the request). */
const IMPORT_ROUTES: Record<string, string> = { 'records/imports': 'template', 'institution-registry/sync': 'registry' };

/**
 * Feeds the metrics GET /metrics serves (issue 22, item 10): every answered request by its
 * route pattern (an unmatched URL counts as "unmatched", so scanners cannot blow up the label
 * set), the uploads' durations, refused logins, and the event store's append latency.
 */
export function registerMetrics(app: NestFastifyApplication, apiPrefix: string): void {
  const metrics = app.get(ServiceMetrics);
  metrics.instrument(app.get<EventStore>(EVENT_STORE));
  const imports = new Map(Object.entries(IMPORT_ROUTES).map(([path, kind]) => [`/${apiPrefix}/${path}`, kind]));
  const login = `/${apiPrefix}/auth/login`;
  app.getHttpAdapter().getInstance().addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const status = String(reply.statusCode);
    const seconds = reply.elapsedTime / 1000;
    metrics.httpDuration.observe({ method: request.method, route, status }, seconds);
    const kind = request.method === 'POST' ? imports.get(route) : undefined;
    if (kind) metrics.importDuration.observe({ kind, status }, seconds);
    if (route === login && request.method === 'POST' && reply.statusCode >= 400 && reply.statusCode < 500) {
      metrics.loginFailures.inc({ reason: reply.statusCode === 401 ? 'credentials' : reply.statusCode === 429 ? 'throttled' : 'refused' });
    }
  });
}

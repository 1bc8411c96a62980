import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type ReadAuditSink, type ReadScope, withReadScope } from '../personal-data/read-audit.js';
import { clientAddress } from './rate-limit.js';
import type { ActorRequest } from './request-context.js';

const SCOPE = Symbol('read-scope');
type ScopedRequest = FastifyRequest & { [SCOPE]?: ReadScope };

/**
 * The read audit at the HTTP edge (issue 21, item 6): each request runs with a scope the query
 * handlers fill (`personalDataShown`); before a successful answer that showed personal data leaves,
 * one audit entry is written with the reader, the route pattern (never the URL: it may hold a
 * search), the client's address and the children. The answer waits for it: a read that could not be
 * recorded is not answered (the append fails the request).
 */
export function registerReadAudit(fastify: FastifyInstance, sink: ReadAuditSink): void {
  // preHandler: after the body is read, so the scope reaches the handler's whole async chain
  fastify.addHook('preHandler', (request, _reply, done) => {
    const scope: ReadScope = { subjects: new Map() };
    (request as ScopedRequest)[SCOPE] = scope;
    withReadScope(scope, done);
  });
  fastify.addHook('onSend', async (request, reply, payload) => {
    const scope = (request as ScopedRequest)[SCOPE];
    const reader = (request as ActorRequest).actor;
    if (!scope || scope.subjects.size === 0 || !reader || reply.statusCode >= 400) return payload;
    await sink.record({
      reader,
      route: `${request.method} ${request.routeOptions.url ?? ''}`,
      clientAddress: clientAddress(request),
      correlationId: String(request.id),
      subjects: [...scope.subjects.values()],
    });
    scope.subjects.clear();
    return payload;
  });
}

import type { FastifyInstance } from 'fastify';
import type { ActorRequest } from '../http/request-context.js';
import type { Logger } from './json-logger.js';
import { redactUrl } from './redaction.js';

/**
 * One line per answered request: who (account id and role once authenticated, and the client's
 * address, which is X-Forwarded-For's when TRUST_PROXY is set), what (method and the URL with
 * personal query parameters blanked), the route pattern, status and duration.
 */
export function registerAccessLog(fastify: FastifyInstance, logger: Logger): void {
  fastify.addHook('onResponse', async (request, reply) => {
    const actor = (request as ActorRequest).actor;
    logger.info('request', {
      correlationId: String(request.id),
      method: request.method,
      url: redactUrl(request.url),
      route: request.routeOptions.url ?? null,
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime * 10) / 10,
      ip: request.ip,
      account: actor?.accountId ?? null,
      role: actor?.role ?? null,
    });
  });
}

import type { FastifyInstance } from 'fastify';

/**
 * Children's personal data must not linger in browser or proxy caches, nor be sniffed into a
 * type the client did not ask for (issue 21, item 8). Every API answer may carry it, so one hook
 * sets both on every answer; a route that already chose a stricter Cache-Control keeps its own.
 */
export function registerSecurityHeaders(fastify: FastifyInstance): void {
  fastify.addHook('onSend', async (_request, reply) => {
    if (!reply.hasHeader('Cache-Control')) void reply.header('Cache-Control', 'no-store');
    void reply.header('X-Content-Type-Options', 'nosniff');
  });
}

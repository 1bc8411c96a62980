import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';
import { ProblemException } from './problem.js';
import { toProblem } from './problem.filter.js';

/** Headers a browser client sends beside the simple ones, and the answer headers it may read. */
const ALLOWED_HEADERS = ['Authorization', 'Content-Type', 'If-Match', 'X-Min-Position', 'X-Correlation-Id', 'X-File-Name'];
const EXPOSED_HEADERS = ['ETag', 'Location', 'X-Log-Position', 'X-Correlation-Id', 'Retry-After', 'Content-Disposition'];

/**
 * CORS for the browser portals of CORS_ORIGINS (issue 22, item 2). An allowed origin's preflight
 * is answered (204 with the Access-Control headers); any other origin's preflight is refused with
 * a 403 problem, so a misconfigured portal learns why. Without origins no CORS header is ever
 * sent: browsers on other origins cannot call the API, other clients are not affected.
 */
export async function registerCors(fastify: FastifyInstance, origins: string[]): Promise<void> {
  const allowed = new Set(origins);
  fastify.addHook('onRequest', async (request, reply) => {
    const origin = request.headers.origin;
    const preflight = request.method === 'OPTIONS' && origin !== undefined && request.headers['access-control-request-method'] !== undefined;
    if (!preflight || allowed.has(origin)) return;
    const { problem } = toProblem(new ProblemException(403, 'cors-origin-refused', `来源 ${origin} 不在允许跨域访问的列表中：请管理员把它加入 CORS_ORIGINS`));
    problem.instance = request.url;
    problem.correlationId = String(request.id);
    return reply.status(403).header('content-type', 'application/problem+json; charset=utf-8').send(problem);
  });
  if (allowed.size === 0) return;
  await fastify.register(cors, {
    origin: [...allowed],
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH'],
    allowedHeaders: ALLOWED_HEADERS,
    exposedHeaders: EXPOSED_HEADERS,
    // the bearer token travels in a header, never in a cookie
    credentials: false,
    maxAge: 600,
  });
}

import rateLimit, { normalizeIP } from '@fastify/rate-limit';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { problemType, statusTitle } from './problem.js';

/** The client's address as the limits count it: IPv6 by its /64 network, so one host cannot rotate through its addresses. */
export const clientAddress = (request: FastifyRequest): string => normalizeIP(request.ip);

export interface RateLimits {
  windowSeconds: number;
  /** per client address and window, on the login route */
  loginMax: number;
  /** per client address and window, on every other request without a bearer token (health, docs, unknown paths, 401s) */
  publicMax: number;
  loginPath: string;
}

/**
 * Requests per client address (@fastify/rate-limit's counting, in memory), before routing: the
 * login and every unauthenticated request, whose cost a stranger could otherwise multiply (a login
 * hashes with scrypt). A request with a bearer token is left to the session check. The answer is
 * the service's problem+json with Retry-After.
 */
export async function registerRateLimits(app: NestFastifyApplication, limits: RateLimits): Promise<void> {
  await app.register(rateLimit as never, { global: false });
  const fastify = app.getHttpAdapter().getInstance();
  const timeWindow = limits.windowSeconds * 1000;
  const login = fastify.createRateLimit({ max: limits.loginMax, timeWindow });
  const open = fastify.createRateLimit({ max: limits.publicMax, timeWindow });
  fastify.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?')[0];
    const limiter = path === limits.loginPath ? login : request.headers.authorization?.startsWith('Bearer ') ? null : open;
    if (!limiter) return;
    const result = await limiter(request);
    if (result.isAllowed || !result.isExceeded) return;
    const message = path === limits.loginPath ? `登录请求过于频繁，请 ${result.ttlInSeconds} 秒后再试` : `请求过于频繁，请 ${result.ttlInSeconds} 秒后再试`;
    return reply
      .status(429)
      .headers({ 'retry-after': String(result.ttlInSeconds), 'content-type': 'application/problem+json; charset=utf-8' })
      .send({
        type: problemType('too-many-requests'), title: statusTitle(429), status: 429, detail: message, code: 'too-many-requests', message,
        instance: request.url, correlationId: String(request.id), retryAfterSeconds: result.ttlInSeconds,
      });
  });
}

import { randomUUID } from 'node:crypto';
import { type ExecutionContext, createParamDecorator } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { CommandContext } from '../command/command-path.js';
import type { EventActor } from '../event-store/event-store.port.js';
import { ProblemException } from './problem.js';
import { clientAddress } from './rate-limit.js';

/** The authenticated actor is attached to the request by the authentication guard. */
export type ActorRequest = FastifyRequest & { actor?: EventActor };

const CORRELATION = /^[A-Za-z0-9._:-]{1,100}$/;

/** Request id = correlation id: taken from X-Correlation-Id when it is sane, else new. */
export function correlationIdFor(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value && CORRELATION.test(value) ? value : randomUUID();
}

/** If-Match: "3", W/"3" or 3 pin the stream revision the client saw. */
export function expectedRevisionFrom(request: FastifyRequest): number | undefined {
  const raw = request.headers['if-match'];
  if (raw === undefined || raw === '*') return undefined;
  const match = /^(?:W\/)?"?(-?\d+)"?$/.exec(String(raw).trim());
  if (!match) throw new ProblemException(400, 'invalid-if-match', 'If-Match 请求头格式有误，应为记录的版本号（ETag），例如 "3"');
  return Number(match[1]);
}

export function commandContext(request: ActorRequest): CommandContext {
  if (!request.actor) throw new ProblemException(401, 'unauthenticated', '请先登录');
  const causation = request.headers['x-causation-id'];
  const expectedRevision = expectedRevisionFrom(request);
  return {
    actor: request.actor,
    correlationId: String(request.id),
    causationId: typeof causation === 'string' && CORRELATION.test(causation) ? causation : null,
    ...(expectedRevision !== undefined ? { expectedRevision } : {}),
    clientAddress: clientAddress(request),
  };
}

/** The command context of the request (actor, correlation, causation, If-Match) as a route parameter. */
export const CommandCtx = createParamDecorator((_data: unknown, context: ExecutionContext): CommandContext => commandContext(context.switchToHttp().getRequest<ActorRequest>()));

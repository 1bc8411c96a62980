import { type ExecutionContext, applyDecorators, createParamDecorator } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ProblemException } from './problem.js';

/** One page of a list: where to continue (the `next` cursor of the page before) and how many. */
export interface PageRequest {
  cursor?: string;
  limit: number;
}

export interface PagingOptions {
  /** page size when `limit` is absent */
  defaultLimit?: number;
  /** the largest page a caller may ask for */
  maxLimit?: number;
}

const DEFAULTS = { defaultLimit: 50, maxLimit: 500 };

/** Reads `cursor` and `limit` from the query string; a limit outside 1..max is refused naming the parameter. */
export function pageOf(query: Record<string, unknown>, options: PagingOptions = {}): PageRequest {
  const { defaultLimit, maxLimit } = { ...DEFAULTS, ...options };
  const rawCursor = query['cursor'];
  const rawLimit = query['limit'];
  const cursor = typeof rawCursor === 'string' && rawCursor !== '' ? rawCursor : undefined;
  if (rawLimit === undefined || rawLimit === '') return { limit: defaultLimit, ...(cursor ? { cursor } : {}) };
  const n = Number(rawLimit);
  if (typeof rawLimit !== 'string' || !Number.isInteger(n) || n < 1 || n > maxLimit) {
    const message = `limit 应为 1-${maxLimit} 的整数`;
    throw new ProblemException(400, 'invalid-limit', message, [{ field: 'limit', code: 'invalid-limit', message, value: String(rawLimit) }]);
  }
  return { limit: n, ...(cursor ? { cursor } : {}) };
}

/** The page a list route was asked for (`@Paging() page: PageRequest`); document it with @ApiPaging(). */
export const Paging = createParamDecorator((options: PagingOptions | undefined, context: ExecutionContext): PageRequest =>
  pageOf((context.switchToHttp().getRequest<FastifyRequest>().query ?? {}) as Record<string, unknown>, options ?? {}),
);

/** The OpenAPI description of `cursor` and `limit`, beside @Paging(). */
export const ApiPaging = (options: PagingOptions = {}) => {
  const { defaultLimit, maxLimit } = { ...DEFAULTS, ...options };
  return applyDecorators(
    ApiQuery({ name: 'cursor', required: false, type: String, description: '上一页返回的 nextCursor，取下一页' }),
    ApiQuery({ name: 'limit', required: false, type: Number, description: `每页条数，1-${maxLimit}，默认 ${defaultLimit}` }),
  );
};

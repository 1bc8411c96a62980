import type { FastifyInstance } from 'fastify';
import { ProblemException } from './problem.js';

/**
 * Every query parameter is a single value: Fastify's parser makes `?name=a&name=b` an array,
 * which the controllers (and the read stores' filters) took for a string (issue 20, item 9).
 * Refused once, for every route, before the request reaches Nest.
 */
export function registerSingleValuedQuery(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', async (request) => {
    const query = request.query as Record<string, unknown> | null | undefined;
    if (!query || typeof query !== 'object') return;
    const repeated = Object.keys(query).filter((key) => Array.isArray(query[key]));
    if (repeated.length === 0) return;
    throw new ProblemException(
      400,
      'repeated-query-parameter',
      `查询参数 ${repeated.join('、')} 只能出现一次，请删除重复的参数`,
      repeated.map((field) => ({ field, code: 'repeated-query-parameter', message: `${field}：只能出现一次` })),
    );
  });
}

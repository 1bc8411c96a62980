import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { problemForStatus, toProblem } from './problem.filter.js';

const PROBLEM_JSON = 'application/problem+json; charset=utf-8';

/**
 * Errors Fastify answers before Nest sees the request (issue 20, item 10), in the same problem
 * details as every other error: the router's (a malformed URL, a path parameter over 100
 * characters), passed to the adapter as `frameworkErrors`, and Node's HTTP parser's (oversized
 * headers, a garbled request line, a request timeout), as `clientErrorHandler`, which writes
 * to the socket itself since there is no request yet.
 */
export const frameworkErrorOptions = {
  frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
    const { problem } = toProblem(error);
    problem.instance = request.url;
    problem.correlationId = String(request.id);
    void reply.status(problem.status).header('content-type', PROBLEM_JSON).send(problem);
  },
  clientErrorHandler(error: Error & { code?: string }, socket: Duplex): void {
    if (error.code === 'ECONNRESET' || socket.destroyed || !socket.writable) return;
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
    const body = JSON.stringify(problemForStatus(status));
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: ${PROBLEM_JSON}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  },
};

/**
 * A last net for error answers that bypass the problem filter (Nest's own 503 while shutting
 * down, a plugin's error body): any answer of 400 or more that is not problem details becomes
 * the default problem of its status.
 */
export function registerProblemOnlyErrors(fastify: FastifyInstance): void {
  fastify.addHook('onSend', async (request, reply, payload) => {
    if (reply.statusCode < 400) return payload;
    if (String(reply.getHeader('content-type') ?? '').includes('application/problem+json')) return payload;
    const problem = problemForStatus(reply.statusCode);
    problem.instance = request.url;
    problem.correlationId = String(request.id);
    void reply.header('content-type', PROBLEM_JSON);
    reply.removeHeader('content-length');
    return JSON.stringify(problem);
  });
}

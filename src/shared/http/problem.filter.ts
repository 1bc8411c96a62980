import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Inject } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, type DomainErrorKind } from '../domain/domain-error.js';
import { EventSchemaError } from '../events/event-registry.js';
import type { Logger } from '../logging/json-logger.js';
import { InvalidQueryError } from '../read-store/read-store.port.js';
import { LOGGER } from '../infrastructure/tokens.js';
import { type ProblemDetails, ProblemException, problemType, statusTitle } from './problem.js';

const KIND_STATUS: Record<DomainErrorKind, number> = {
  validation: 400,
  rule: 422,
  conflict: 409,
  forbidden: 403,
  not_found: 404,
  stale: 412,
  unauthenticated: 401,
  too_large: 413,
  unsupported: 415,
  throttled: 429,
  unavailable: 503,
};

/** Messages for errors raised by the HTTP framework itself, by status. */
const HTTP_DEFAULTS: Record<number, [code: string, message: string]> = {
  400: ['bad-request', '请求格式有误，请检查后重试'],
  401: ['unauthenticated', '请先登录'],
  403: ['forbidden', '您没有权限进行此操作'],
  404: ['route-not-found', '请求的地址不存在，请检查接口路径'],
  405: ['method-not-allowed', '该接口不支持此请求方法'],
  413: ['payload-too-large', '提交的内容过大：上传的文件不能超过 20 MB（请拆分后分批上传），其他请求不能超过 1 MB'],
  415: ['unsupported-media-type', '不支持的内容类型，请以 application/json 提交'],
  429: ['too-many-requests', '请求过于频繁，请稍后重试'],
};

/** Every error leaves the service as RFC 9457 problem details (application/problem+json). */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const { problem, headers } = this.toProblem(exception);
    problem.instance = request.url;
    problem.correlationId = String(request.id);
    if (problem.status >= 500) {
      this.logger.error('request failed', {
        correlationId: problem.correlationId,
        method: request.method,
        url: request.url,
        code: problem.code,
        error: exception instanceof Error ? (exception.stack ?? exception.message) : String(exception),
      });
    }
    void reply.status(problem.status).headers({ ...headers, 'content-type': 'application/problem+json; charset=utf-8' }).send(problem);
  }

  toProblem(exception: unknown): { problem: ProblemDetails; headers: Record<string, string> } {
    if (exception instanceof ProblemException) {
      return { problem: build(exception.status, exception.code, exception.message, exception.errors, exception.extensions), headers: exception.headers };
    }
    if (exception instanceof DomainError) {
      // a throttled caller is told when to come back (RFC 9110 Retry-After, in seconds)
      const retryAfter = exception.kind === 'throttled' ? exception.details['retryAfterSeconds'] : undefined;
      const headers: Record<string, string> = typeof retryAfter === 'number' ? { 'Retry-After': String(retryAfter) } : {};
      return { problem: build(KIND_STATUS[exception.kind], exception.code, exception.message, exception.errors, exception.details), headers };
    }
    if (exception instanceof InvalidQueryError) {
      return { problem: build(400, 'invalid-query', `查询条件有误：${exception.message}`), headers: {} };
    }
    if (exception instanceof EventSchemaError) {
      // the service tried to store an event its own schema forbids: a defect, never the caller's fault
      return { problem: build(500, 'event-schema-violation', '服务器内部错误（事件格式校验失败），操作未保存，请联系管理员'), headers: {} };
    }
    const status = httpStatus(exception);
    if (status !== null && status < 500) {
      // Nest wraps Fastify's own errors (bad JSON, ...) in an HttpException with the original as cause
      const fastifyCode = (exception as { code?: string }).code ?? ((exception as { cause?: { code?: string } }).cause?.code);
      if (fastifyCode === 'FST_ERR_CTP_INVALID_JSON_BODY' || fastifyCode === 'FST_ERR_CTP_EMPTY_JSON_BODY' || exception instanceof SyntaxError) {
        return { problem: build(400, 'malformed-json', '请求内容不是有效的 JSON，请检查格式'), headers: {} };
      }
      const [code, message] = HTTP_DEFAULTS[status] ?? ['bad-request', '请求有误，请检查后重试'];
      return { problem: build(status, code, message), headers: {} };
    }
    return { problem: build(500, 'internal-error', '服务器内部错误，操作未完成，请稍后重试；如持续出现请联系管理员并提供请求编号'), headers: {} };
  }
}

function httpStatus(exception: unknown): number | null {
  if (exception instanceof HttpException) return exception.getStatus();
  const status = (exception as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 600 ? status : null;
}

function build(status: number, code: string, message: string, errors: ProblemDetails['errors'] = [], extensions: Record<string, unknown> = {}): ProblemDetails {
  return {
    ...extensions,
    type: problemType(code),
    title: statusTitle(status),
    status,
    detail: message,
    code,
    message,
    ...(errors.length > 0 ? { errors } : {}),
  };
}

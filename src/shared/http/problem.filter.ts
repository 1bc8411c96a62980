import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Inject } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, type DomainErrorKind } from '../domain/domain-error.js';
import { EventSchemaError } from '../events/event-registry.js';
import type { Logger } from '../logging/json-logger.js';
import { redactUrl } from '../logging/redaction.js';
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
  locked: 423,
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
  408: ['request-timeout', '请求发送超时，请检查网络后重试'],
  413: ['payload-too-large', '提交的内容过大：上传的文件不能超过 20 MB（请拆分后分批上传），其他请求不能超过 1 MB'],
  415: ['unsupported-media-type', '不支持的内容类型，请以 application/json 提交'],
  414: ['uri-too-long', '请求地址过长，请检查接口路径和查询参数'],
  429: ['too-many-requests', '请求过于频繁，请稍后重试'],
  431: ['headers-too-large', '请求头过大（例如 Cookie 或令牌过长），请清理后重试'],
  503: ['service-unavailable', '服务暂时不可用（可能正在重启），请稍后重试'],
};

/** Fastify's own error codes that deserve a more precise answer than their status's default. */
const FASTIFY_CODES: Record<string, [status: number, code: string, message: string]> = {
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'malformed-json', '请求内容不是有效的 JSON，请检查格式'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'malformed-json', '请求内容不是有效的 JSON，请检查格式'],
  FST_ERR_MAX_PARAM_LENGTH: [414, 'path-parameter-too-long', '请求地址中的参数过长（每段不超过 100 个字符），请检查地址'],
  FST_ERR_BAD_URL: [400, 'bad-url', '请求地址格式有误（含有无效的编码），请检查地址'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'bad-content-length', '请求的 Content-Length 与内容长度不符，请重新发送'],
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
        url: redactUrl(request.url),
        code: problem.code,
        error: exception instanceof Error ? exception : String(exception),
      });
    }
    void reply.status(problem.status).headers({ ...headers, 'content-type': 'application/problem+json; charset=utf-8' }).send(problem);
  }

  toProblem(exception: unknown): { problem: ProblemDetails; headers: Record<string, string> } {
    return toProblem(exception);
  }
}

/** The problem details of any error; also used for the errors Fastify answers before Nest sees the request. */
export function toProblem(exception: unknown): { problem: ProblemDetails; headers: Record<string, string> } {
  if (exception instanceof ProblemException) {
    return { problem: build(exception.status, exception.code, exception.message, exception.errors, exception.extensions), headers: exception.headers };
  }
  if (exception instanceof DomainError) {
    // a domain error that asks the caller to come back later says when (details.retryAfterSeconds)
    const retry = exception.details['retryAfterSeconds'];
    const headers: Record<string, string> = typeof retry === 'number' && retry > 0 ? { 'Retry-After': String(Math.ceil(retry)) } : {};
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
    const fastifyCode = (exception as { code?: string }).code ?? (exception as { cause?: { code?: string } }).cause?.code;
    const known = fastifyCode !== undefined ? FASTIFY_CODES[fastifyCode] : undefined;
    if (known) return { problem: build(known[0], known[1], known[2]), headers: {} };
    if (exception instanceof SyntaxError) return { problem: build(400, 'malformed-json', '请求内容不是有效的 JSON，请检查格式'), headers: {} };
    return { problem: problemForStatus(status), headers: {} };
  }
  return { problem: build(500, 'internal-error', '服务器内部错误，操作未完成，请稍后重试；如持续出现请联系管理员并提供请求编号'), headers: {} };
}

/** The default problem of an HTTP status (errors raised by the framework, not by the service). */
export function problemForStatus(status: number): ProblemDetails {
  const [code, message] = HTTP_DEFAULTS[status] ?? (status >= 500 ? ['internal-error', '服务器内部错误，操作未完成，请稍后重试'] : ['bad-request', '请求有误，请检查后重试']);
  return build(status, code, message);
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

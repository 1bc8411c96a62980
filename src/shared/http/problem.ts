import type { FieldError } from '../domain/domain-error.js';

/** RFC 9457 problem details, with the project's stable code and Chinese message. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  /** Chinese, for the person at the screen (same text as message) */
  detail: string;
  instance?: string;
  /** stable English code to switch on */
  code: string;
  /** Chinese message a registrar can act on */
  message: string;
  errors?: FieldError[];
  correlationId?: string;
  [extension: string]: unknown;
}

export const problemType = (code: string): string => `urn:preschool-records:problem:${code}`;

export class ProblemException extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly errors: FieldError[] = [],
    readonly extensions: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ProblemException';
  }
}

/** Chinese titles (issue 22, item 4): the person at the screen reads them; clients switch on `code`. */
const TITLES: Record<number, string> = {
  400: '请求有误',
  401: '未登录',
  403: '无权操作',
  404: '未找到',
  405: '不支持的请求方法',
  408: '请求超时',
  409: '数据冲突',
  412: '数据已被修改',
  413: '内容过大',
  414: '请求地址过长',
  415: '不支持的内容类型',
  422: '业务规则不允许',
  423: '业务未开放',
  428: '需要先完成前置操作',
  429: '请求过于频繁',
  431: '请求头过大',
  500: '服务器内部错误',
  503: '服务暂时不可用',
};

export const statusTitle = (status: number): string => TITLES[status] ?? '错误';

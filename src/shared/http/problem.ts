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

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  423: 'Locked',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export const statusTitle = (status: number): string => TITLES[status] ?? 'Error';

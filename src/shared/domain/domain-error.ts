/**
 * A broken business rule, thrown by `decide`. Pure: no HTTP here. The HTTP layer maps the
 * kind onto a status (validation 400, unauthenticated 401, rule 422, conflict 409, forbidden 403,
 * not found 404, stale 412, too large 413, unsupported 415, locked 423, throttled 429, unavailable 503).
 */
export type DomainErrorKind =
  | 'validation'
  | 'rule'
  | 'conflict'
  | 'forbidden'
  | 'not_found'
  | 'stale'
  /** unauthenticated: no or no longer a valid session */
  | 'unauthenticated'
  /** the input (a file, a row count) is larger than the rule allows */
  | 'too_large'
  /** the input is not of a type the use case reads (not an xlsx, not a PDF) */
  | 'unsupported'
  /** the caller is asked to slow down */
  | 'throttled'
  /** the thing is locked for now (an account after too many wrong passwords) */
  | 'locked'
  /** the service cannot answer now (projections lagging); the caller retries */
  | 'unavailable';

export interface FieldError {
  /** the field (or spreadsheet cell) at fault, e.g. "idNumber" or "row 12, 身份证件号码" */
  field: string;
  code: string;
  message: string;
  value?: unknown;
}

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    /** stable English code API consumers can switch on, e.g. "record-not-saved" */
    readonly code: string,
    /** Chinese message a registrar can act on */
    message: string,
    readonly errors: FieldError[] = [],
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const rule = (code: string, message: string, details?: Record<string, unknown>): DomainError =>
  new DomainError('rule', code, message, [], details);
export const conflict = (code: string, message: string, details?: Record<string, unknown>): DomainError =>
  new DomainError('conflict', code, message, [], details);
export const notFound = (code: string, message: string): DomainError => new DomainError('not_found', code, message);
export const forbidden = (code: string, message: string): DomainError => new DomainError('forbidden', code, message);
export const invalid = (errors: FieldError[], message = '提交的数据有误，请按提示修改后重试'): DomainError =>
  new DomainError('validation', 'validation-failed', message, errors);
export const unauthenticated = (code: string, message: string, details?: Record<string, unknown>): DomainError =>
  new DomainError('unauthenticated', code, message, [], details);
export const tooLarge = (code: string, message: string, errors: FieldError[] = [], details?: Record<string, unknown>): DomainError =>
  new DomainError('too_large', code, message, errors, details);
export const unsupported = (code: string, message: string, errors: FieldError[] = [], details?: Record<string, unknown>): DomainError =>
  new DomainError('unsupported', code, message, errors, details);
export const throttled = (code: string, message: string, details?: Record<string, unknown>): DomainError =>
  new DomainError('throttled', code, message, [], details);
export const unavailable = (code: string, message: string, details?: Record<string, unknown>): DomainError =>
  new DomainError('unavailable', code, message, [], details);
/** A domain error of any kind with field errors (e.g. a spreadsheet layout refused with the cells at fault). */
export const refused = (kind: DomainErrorKind, code: string, message: string, errors: FieldError[] = [], details?: Record<string, unknown>): DomainError =>
  new DomainError(kind, code, message, errors, details);
export const locked = (code: string, message: string, details?: Record<string, unknown>): DomainError =>
  new DomainError('locked', code, message, [], details);

import { type DomainError, tooLarge } from '../domain/domain-error.js';

/**
 * How a use case words the refusal of a spreadsheet it cannot read. The codes and advice are
 * that use case's API (the child import says `import-file-*` and "use the template", the
 * registry sync `registry-file-*` and "save as .xlsx or .csv"), so the reader takes them from
 * the caller; only the zip-bomb refusal is the kernel's own, the same code everywhere.
 */
export interface XlsxRefusals {
  /** a file of 0 bytes */
  empty(): DomainError;
  /** the zip itself is broken or truncated; detail names what, when known */
  damaged(detail?: string): DomainError;
  /** the workbook inside could not be parsed */
  unreadable(): DomainError;
  /** not an xlsx; `what` says what it is instead ("该文件是 PNG 图片") */
  wrongType(what: string): DomainError;
  /** the workbook holds no worksheet the reader may read */
  noSheet(): DomainError;
  /** what to do after a zip-bomb refusal, one sentence */
  bombAdvice: string;
}

export interface CsvRefusals {
  /** the file holds NUL bytes: binary, or UTF-16 */
  notText(): DomainError;
  /** the bytes are not UTF-8 (a GBK export, say) */
  notUtf8(): DomainError;
  /** a record csv-parse refuses (an unterminated or stray quote); `row` is the record's 1-based number */
  malformed(row: number, problem: { code: string; message: string }): DomainError;
}

export const ZIP_BOMB_CODE = 'import-file-bomb';

/** A file that would inflate beyond what any import may hold: refused alike by every use case. */
export const zipBomb = (detail: string, advice: string): DomainError =>
  tooLarge(ZIP_BOMB_CODE, `文件解压后的大小异常（${detail}），可能是恶意构造的文件，已拒绝。${advice}`);

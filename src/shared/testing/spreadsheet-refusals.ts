import { DomainError, refused, unsupported } from '../domain/domain-error.js';
import type { CsvRefusals, XlsxRefusals } from '../spreadsheets/refusals.js';

/** Refusals for the kernel's spreadsheet specs: each names which one was chosen, detail included. */
export const TEST_XLSX_REFUSALS: XlsxRefusals = {
  empty: () => refused('validation', 'test-empty', '空文件'),
  damaged: (detail?: string) => unsupported('test-damaged', `损坏${detail ? `（${detail}）` : ''}`),
  unreadable: () => unsupported('test-unreadable', '无法读取'),
  wrongType: (what: string) => unsupported('test-type', `类型不对：${what}`),
  noSheet: () => refused('validation', 'test-no-sheet', '没有工作表'),
  bombAdvice: '请重新导出。',
};

export const TEST_CSV_REFUSALS: CsvRefusals = {
  notText: () => unsupported('test-not-text', '不是文本'),
  notUtf8: () => unsupported('test-not-utf8', '不是 UTF-8'),
  malformed: (row, problem) => refused('validation', 'test-malformed', `第 ${row} 行：${problem.message}`, [{ field: `第 ${row} 行`, code: problem.code, message: problem.message }]),
};

/** The DomainError `run` throws (or rejects with); fails when it throws something else or nothing. */
export async function refusalOf(run: () => unknown): Promise<DomainError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('no DomainError thrown');
}

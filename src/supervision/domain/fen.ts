import { type FieldError, invalid } from '../../shared/domain/domain-error.js';

/**
 * Money as exact integer fen (分), never floating point: 0.1 + 0.2 yuan must be 30 fen in every
 * total. Amounts travel and are stored as decimal strings of fen ("123456" = 1234.56 元), so
 * neither JSON parsers nor spreadsheets round them; sums use BigInt. The API also takes a
 * non-negative safe integer.
 */
export const FEN_PATTERN = '^(0|[1-9][0-9]{0,14})$';
const FEN = new RegExp(FEN_PATTERN);

/** the canonical fen string of `value`, or the field error saying how to write it */
export function fenOf(value: unknown, field: string, errors: FieldError[]): string {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
  if (typeof value === 'string' && FEN.test(value)) return value;
  errors.push({ field, code: 'invalid-amount', message: '金额以“分”为单位填写非负整数（如 123456 表示 1234.56 元），不能有小数点' });
  return '0';
}

export function parseFen(value: unknown, field: string): string {
  const errors: FieldError[] = [];
  const fen = fenOf(value, field, errors);
  if (errors.length > 0) throw invalid(errors, '金额格式有误，请按提示修改');
  return fen;
}

export const addFen = (...amounts: string[]): string => amounts.reduce((sum, a) => sum + BigInt(a), 0n).toString();

export const fenGreater = (a: string, b: string): boolean => BigInt(a) > BigInt(b);

/** "1234.56" for spreadsheets and messages */
export function yuan(fen: string): string {
  const padded = fen.padStart(3, '0');
  return `${padded.slice(0, -2)}.${padded.slice(-2)}`;
}

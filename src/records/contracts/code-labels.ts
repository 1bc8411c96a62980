import { type CodeTableName, codeTable, lookupCode } from '../domain/code-tables.js';

/**
 * The Chinese label of a stored code (民族 "01" -> 汉族), for reports and exports that must show
 * labels, not only codes; the code itself when the table does not know it.
 */
export function codeLabel(table: CodeTableName, code: string | null | undefined): string {
  if (code === null || code === undefined || code === '') return '';
  return lookupCode(table, code)?.label ?? code;
}

/** Every code of a table with its label, in the table's order. */
export const codeEntries = (table: CodeTableName): ReadonlyArray<{ code: string; label: string }> => codeTable(table);

export type { CodeTableName };

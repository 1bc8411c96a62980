// The five key fields (关键信息) as a spreadsheet row: the hand-over's new-pupil list (学前调档名单,
// issue 16) has exactly these columns. Parsed and validated by the record import's own row parser,
// so a pupil list accepts what the template import accepts and words each refusal the same way.
import type { FieldError } from '../../shared/domain/domain-error.js';
import { type ChildFields, type KeyInformation, KEY_FIELDS, normaliseChild, validateChild } from './child.js';
import { codeTable, dropdownText } from './code-tables.js';
import { type ColumnKey, TEMPLATE_COLUMNS, columnForHeader } from './template-columns.js';
import { type ImportIssue, type TemplateCells, parseTemplateRow } from './template-row.js';

export type KeyField = (typeof KEY_FIELDS)[number];
const KEYS: ReadonlySet<string> = new Set(KEY_FIELDS);

/** The key columns in template order: header, note, required, and the dropdown texts of coded ones. */
export const KEY_COLUMNS = TEMPLATE_COLUMNS.filter((c) => KEYS.has(c.key)).map((c) => ({
  key: c.key as KeyField,
  header: c.header,
  required: c.required,
  note: c.note,
  text: c.text === true,
  choices: c.table ? codeTable(c.table).map(dropdownText) : [],
}));

/** The key column a header names (the template's aliases accepted), or undefined. */
export function keyColumnForHeader(raw: unknown): KeyField | undefined {
  const key = columnForHeader(raw);
  return key && KEYS.has(key) ? (key as KeyField) : undefined;
}

export type KeyRowResult = { ok: true; key: KeyInformation } | { ok: false; issues: ImportIssue[] };

/**
 * One row of key fields: trimmed, full-width folded, labels to codes, text dates read, the ID
 * number checked (check digit, birth date and gender inside it). Age is not a question here
 * (a pupil is six): the record import's over-age confirmation is answered for the row.
 */
export function parseKeyRow(row: number, cells: Partial<Record<KeyField, unknown>>, at: string): KeyRowResult {
  const full: TemplateCells = { ...cells, nationality: 'CHN', confirmOverAge: '是' } as Partial<Record<ColumnKey, unknown>>;
  const parsed = parseTemplateRow(row, full, at);
  if (!parsed.ok) return { ok: false, issues: parsed.issues };
  const { name, gender, birthDate, idType, idNumber } = parsed.child;
  return { ok: true, key: { name, gender, birthDate, idType, idNumber } };
}

/**
 * The normalised fields and field errors of a child's fields (the hand-over's supplement: the school's copy of the
 * record, edited): normalised and validated as a record is, age questions left out.
 */
export function checkChildFields(child: ChildFields, at: string): { child: ChildFields; errors: FieldError[] } {
  const normalised = normaliseChild(child);
  return { child: normalised, errors: validateChild(normalised, at).errors };
}

// Code tables of the child-record fields, shipped as data (src/records/data/code-tables.json,
// with each table's standard and certainty); never scattered literals.
import data from '../data/code-tables.json' with { type: 'json' };

export interface CodeEntry {
  code: string;
  label: string;
  aliases?: string[];
}

export type CodeTableName = keyof typeof data.tables;

export function codeTable(name: CodeTableName): readonly CodeEntry[] {
  return data.tables[name].codes as CodeEntry[];
}

/**
 * Finds the entry for what a registrar typed: the code ("01"), the label ("汉族"), both as a
 * template dropdown writes them ("01-汉族"), or an old alias ("毛难族"). Full-width characters and
 * spaces are tolerated. Undefined when nothing matches.
 */
export function lookupCode(name: CodeTableName, typed: string): CodeEntry | undefined {
  // most values arrive exactly as stored or as the dropdown wrote them: one map lookup each
  const index = indexOf(name);
  const exact = index.get(typed);
  if (exact) return exact;
  const value = typed
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\s+/g, '')
    .toUpperCase();
  if (!value) return undefined;
  return index.get(value);
}

/**
 * Every spelling a table accepts, with its entry: code, label, alias, "code-label" (and
 * "code-alias"), a one-digit code without its leading zero. Built once per table. In the
 * dropdown form code and label must both match: a disagreement is not guessed away.
 */
const indexes = new Map<CodeTableName, Map<string, CodeEntry>>();
function indexOf(name: CodeTableName): Map<string, CodeEntry> {
  let index = indexes.get(name);
  if (index) return index;
  index = new Map();
  const entries = codeTable(name);
  // precedence as before: a code beats a label, a label beats a code typed without its zero
  for (const e of entries) for (const label of [e.label, ...(e.aliases ?? [])]) {
    if (!index.has(`${e.code}-${label}`)) index.set(`${e.code}-${label}`, e);
  }
  for (const e of entries) for (const label of [e.label, ...(e.aliases ?? [])]) if (!index.has(label)) index.set(label, e);
  for (const e of entries) index.set(e.code, e);
  for (const e of entries) if (/^0\d$/.test(e.code) && !index.has(e.code.slice(1))) index.set(e.code.slice(1), e);
  indexes.set(name, index);
  return index;
}

/** The dropdown text of a template: "01-汉族". */
export const dropdownText = (entry: CodeEntry): string => `${entry.code}-${entry.label}`;

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
  const value = typed
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\s+/g, '')
    .toUpperCase();
  if (!value) return undefined;
  const entries = codeTable(name);
  const dash = value.indexOf('-');
  if (dash > 0) {
    // dropdown text: code and label must both match, a disagreement is not guessed away
    const code = value.slice(0, dash);
    const label = value.slice(dash + 1);
    return entries.find((e) => e.code === code && (e.label === label || e.aliases?.includes(label)));
  }
  return (
    entries.find((e) => e.code === value) ??
    entries.find((e) => e.label === value || e.aliases?.includes(value)) ??
    // a code typed without its leading zero ("1" for "01")
    entries.find((e) => /^\d$/.test(value) && e.code === `0${value}`)
  );
}

/** The dropdown text of a template: "01-汉族". */
export const dropdownText = (entry: CodeEntry): string => `${entry.code}-${entry.label}`;

import type { ValidationError } from '@nestjs/common';

/**
 * One rule for every text field of every body (issue 20, item 12), applied by the validation
 * pipe before class-validator sees the DTO, so `Length(1, n)` and the like count what is kept:
 * - normalised to NFC and trimmed (a whitespace-only name becomes empty, which the field's
 *   length rule refuses);
 * - refused if it holds control characters (NUL, ...), format characters (zero-width, bidi
 *   overrides, a BOM anywhere), line or paragraph separators, unpaired surrogates, or the
 *   replacement character U+FFFD (the trace of a wrongly decoded text).
 * Free-text fields named `reason` may hold line breaks (a textarea). Fields whose name ends in
 * `password` are taken verbatim: trimming or normalising a password would change it; they are
 * still refused with control or unpaired characters.
 */
const FORBIDDEN = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}\uFFFD\uFFFE\uFFFF]/u;
const FORBIDDEN_MULTILINE = /[\p{Cf}\p{Cs}\p{Zl}\p{Zp}\uFFFD\uFFFE\uFFFF\0-\x08\x0b-\x1f\x7f-\x9f]/u;
const MULTILINE_FIELDS = new Set(['reason']);
const VERBATIM = /password$/i;

type Bag = Record<string, unknown>;

/** Normalises the text fields of a transformed DTO in place; answers the fields refused. */
export function sanitiseTextFields(target: object): ValidationError[] {
  return walk(target as Bag, new WeakSet());
}

function walk(target: Bag, seen: WeakSet<object>): ValidationError[] {
  if (seen.has(target)) return [];
  seen.add(target);
  const errors: ValidationError[] = [];
  for (const key of Object.keys(target)) {
    const value = target[key];
    if (typeof value === 'string') {
      const checked = checkText(key, value);
      if (typeof checked === 'string') target[key] = checked;
      else errors.push({ target, property: key, value: printable(value), constraints: { text: `${key}：${checked.message}` }, children: [] });
    } else if (value !== null && typeof value === 'object') {
      const children = Array.isArray(value) ? walkArray(value, seen) : walk(value as Bag, seen);
      if (children.length > 0) errors.push({ target, property: key, value: undefined, constraints: {}, children });
    }
  }
  return errors;
}

function walkArray(items: unknown[], seen: WeakSet<object>): ValidationError[] {
  const errors: ValidationError[] = [];
  items.forEach((item, index) => {
    const property = String(index);
    if (typeof item === 'string') {
      const checked = checkText(property, item);
      if (typeof checked === 'string') items[index] = checked;
      else errors.push({ property, value: printable(item), constraints: { text: `第 ${index + 1} 项：${checked.message}` }, children: [] });
    } else if (item !== null && typeof item === 'object') {
      const children = Array.isArray(item) ? walkArray(item, seen) : walk(item as Bag, seen);
      if (children.length > 0) errors.push({ property, value: undefined, constraints: {}, children });
    }
  });
  return errors;
}

/** The text as kept, or why it is refused. */
export function checkText(field: string, raw: string): string | { message: string } {
  const verbatim = VERBATIM.test(field);
  const multiline = MULTILINE_FIELDS.has(field);
  const text = verbatim ? raw : normalise(raw, multiline);
  const bad = (multiline ? FORBIDDEN_MULTILINE : FORBIDDEN).exec(text);
  if (bad === null) return text;
  const char = bad[0];
  if (/\p{Cs}/u.test(char)) return { message: '含有无效的字符（不成对的代理项），请重新输入' };
  if (char === '\uFFFD') return { message: '含有乱码字符（�），请检查文字编码后重新输入' };
  if (/\p{Cc}/u.test(char)) return { message: `含有控制字符（U+${hex(char)}），请删除后重新输入${multiline ? '' : '（此项不能换行）'}` };
  return { message: `含有不可见字符（U+${hex(char)}，如零宽字符、文字方向控制符或 BOM），请删除后重新输入` };
}

function normalise(raw: string, multiline: boolean): string {
  const nfc = raw.normalize('NFC').trim();
  return multiline ? nfc.replace(/\r\n?/g, '\n') : nfc;
}

const hex = (char: string) => (char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');

/** The refused value as it can be shown back (never an unpaired surrogate, never too long). */
function printable(value: string): string {
  return value.slice(0, 60).replace(/[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/gu, (c) => `\\u${hex(c)}`);
}

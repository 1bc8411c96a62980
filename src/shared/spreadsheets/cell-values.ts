// Cell values as the use cases want them, whichever reader produced them. No exceljs import:
// domain code (row parsers) may use these.

type RichValue = { richText?: Array<{ text?: string }>; formula?: unknown; sharedFormula?: unknown; result?: unknown; text?: unknown; hyperlink?: unknown; error?: unknown };

/** A cell value as a plain value: rich text, formula results and hyperlinks to text; Date and number kept. */
export function plainCellValue(value: unknown): unknown {
  if (value === null || value === undefined || typeof value !== 'object' || value instanceof Date) return value ?? undefined;
  const v = value as RichValue;
  if (Array.isArray(v.richText)) return v.richText.map((r) => r.text ?? '').join('');
  if ('formula' in v || 'sharedFormula' in v) {
    // the streaming reader turns an error result (#N/A) into NaN
    return typeof v.result === 'number' && Number.isNaN(v.result) ? '#公式错误' : plainCellValue(v.result);
  }
  if ('text' in v) return plainCellValue(v.text);
  if ('error' in v) return String(v.error);
  return String(value);
}

/** Full-width ASCII (U+FF01–FF5E) and the ideographic space to half-width: what registrars really type. */
export const halfWidth = (text: string): string =>
  text.replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ');

/** Excel's column letter of a 0-based index: 0 → A, 26 → AA. */
export function columnLetter(index: number): string {
  let letters = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}

/**
 * Children's personal data never reaches a log line (conventions: names, ID numbers, guardians):
 * the field names that hold it, redacted by the logger wherever a caller puts them, and the
 * query parameters that carry it, blanked in logged URLs (GET /records?name=…&idNumber=…).
 */
export const PERSONAL_FIELDS = [
  'name', 'realName', 'idNumber', 'guardians', 'guardian', 'address', 'phone', 'password', 'currentPassword', 'newPassword', 'token',
  // a child object, de-duplication keys ("id:" + ID number) and their hashes (issue 21)
  'child', 'dedupeKey', 'presenceKey', 'keyHash',
] as const;

/** ID-number-shaped (17 digits and a check character) and mobile-number-shaped runs, wherever they stand in a line. */
const NUMBERS = /(?<![0-9A-Za-z])(?:\d{17}[\dXx]|1[3-9]\d{9})(?![0-9A-Za-z])/g;

/**
 * The last line of defence (issue 21, item 2): field redaction cannot see a number inside free
 * text (an error message quoting a value), so every written line has ID-number- and mobile-shaped
 * runs replaced.
 */
export function scrubNumbers(line: string): string {
  return line.replace(NUMBERS, '[redacted]');
}

const PERSONAL_QUERY = new Set(['name', 'idnumber', 'guardianname', 'phone', 'address', 'realname', 'q', 'search']);

/** The URL with the values of personal query parameters replaced by "[redacted]"; the path and other parameters kept. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const query = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const key = eq < 0 ? pair : pair.slice(0, eq);
      let decoded = key;
      try {
        decoded = decodeURIComponent(key.replace(/\+/g, ' '));
      } catch {
        // an undecodable key is logged as sent
      }
      return PERSONAL_QUERY.has(decoded.toLowerCase()) && eq >= 0 ? `${key}=[redacted]` : pair;
    });
  return `${url.slice(0, q)}?${query.join('&')}`;
}

import { describe, expect, it } from '@jest/globals';
import { jsonDepth } from './json-body.js';
import { checkText } from './text-input.js';

describe('the one text rule of every body', () => {
  it('keeps text trimmed (full-width spaces, tabs and a leading BOM too) and composed (NFC)', () => {
    expect(checkText('name', '\ufeff\u3000 Zoe\u0308 王小明\t ')).toBe('Zoë 王小明');
    expect(checkText('name', '   ')).toBe('');
  });

  it('refuses control, format, separator and unpaired characters, and the replacement character', () => {
    for (const bad of ['\u0000', '\u0007', '\u007f', '\u0085', '\n', '\u00ad', '\u200b', '\u200d', '\u202e', '\u2066', '\ufeff', '\u2028', '\u2029', '\ud800', '\udc00', '\ufffd', '\uffff']) {
      expect({ bad, ok: typeof checkText('name', `王${bad}小明`) === 'string' }).toEqual({ bad, ok: false });
    }
    expect(checkText('name', '王\ud800小明')).toEqual({ message: expect.stringContaining('不成对') });
    expect(checkText('name', '王\u202e小明')).toEqual({ message: expect.stringContaining('U+202E') });
  });

  it('keeps characters beyond the BMP, private-use ideographs and the middle dot of minority names', () => {
    for (const good of ['𠮷野家', '阿\u00b7买提', '\ue000', '😀']) expect(checkText('name', good)).toBe(good.normalize('NFC'));
  });

  it('lets a reason span lines (CRLF becomes LF) but nothing else', () => {
    expect(checkText('reason', ' 第一行\r\n第二行\r第三行 ')).toBe('第一行\n第二行\n第三行');
    expect(checkText('reason', '第一行\u0000')).not.toEqual(expect.any(String));
  });

  it('takes passwords as typed (never trimmed or normalised), refusing control characters still', () => {
    expect(checkText('password', ' Zoe\u0308#2026 ')).toBe(' Zoe\u0308#2026 ');
    expect(checkText('newPassword', 'Pass\u0000word1!')).not.toEqual(expect.any(String));
  });
});

describe('jsonDepth', () => {
  it('counts brackets outside strings only', () => {
    expect(jsonDepth('{"a":[{"b":1}]}')).toBe(3);
    expect(jsonDepth('{"a":"[[[[{{{{\\"]]"}')).toBe(1);
    expect(jsonDepth('1')).toBe(0);
    expect(jsonDepth('['.repeat(5000), 16)).toBe(17);
  });
});

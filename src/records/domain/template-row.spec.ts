import { describe, expect, it } from '@jest/globals';
import { TEMPLATE_COLUMNS, columnLetter, mapTemplateHeader } from './template-columns.js';
import { type TemplateCells, isBlankRow, parseTemplateDate, parseTemplateRow } from './template-row.js';

// school year 2026: a child born 2019-01-01 is over-age, one born 2022-03-15 is not
const AT = '2026-09-10T00:00:00Z';
const BOY_ID = '410102202203150018'; // born 2022-03-15, male
const GIRL_ID_X = '41010220220315078X'; // born 2022-03-15, female, check character X
const OVER_AGE_ID = '410102201901010018'; // born 2019-01-01, male
const MOTHER_ID = '11010519491231002X';

const good = (overrides: TemplateCells = {}): TemplateCells => ({
  name: '张小明',
  gender: '1-男',
  birthDate: '2022-03-15',
  idType: '1-居民身份证',
  idNumber: BOY_ID,
  nationality: 'CHN-中国',
  ethnicity: '01-汉族',
  ...overrides,
});

const issuesOf = (cells: TemplateCells, row = 2) => {
  const result = parseTemplateRow(row, cells, AT);
  if (result.ok) throw new Error(`expected issues, got ${JSON.stringify(result.child)}`);
  return result.issues;
};

describe('template header', () => {
  it('maps the template headers, with or without "*", with spaces, full-width characters and aliases', () => {
    const headers = TEMPLATE_COLUMNS.map((c) => (c.required ? `${c.header}*` : c.header));
    const { columns, errors } = mapTemplateHeader(headers);
    expect(errors).toEqual([]);
    expect([...columns.values()]).toEqual(TEMPLATE_COLUMNS.map((c) => c.key));

    const loose = mapTemplateHeader([' 姓 名 ＊', '性别', '出生年月日', '证件类型', '身份证号', '国籍', '民族\u3000', '确认超龄（是／否）', '监护人１姓名']);
    expect(loose.errors).toEqual([]);
    expect([...loose.columns.entries()]).toEqual([[0, 'name'], [1, 'gender'], [2, 'birthDate'], [3, 'idType'], [4, 'idNumber'], [5, 'nationality'], [6, 'ethnicity'], [7, 'confirmOverAge'], [8, 'guardian1Name']]);
  });

  it('reports unknown columns with their letter, repeated columns and missing required columns', () => {
    const { errors } = mapTemplateHeader(['姓名', '性别', '出生日期', '身份证件类型', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '班级', '姓名']);
    expect(errors).toEqual([
      { field: '第 1 行，AB 列', code: 'unknown-column', message: expect.stringContaining('“班级”'), value: '班级' },
      { field: '第 1 行，AC 列', code: 'duplicate-column', message: expect.stringContaining('与 A 列重复'), value: '姓名' },
      { field: '第 1 行', code: 'missing-column', message: expect.stringContaining('国籍/地区'), value: '国籍/地区' },
    ]);
    expect(columnLetter(0)).toBe('A');
    expect(columnLetter(25)).toBe('Z');
    expect(columnLetter(26)).toBe('AA');
  });
});

describe('parseTemplateRow', () => {
  it('stores codes whatever form was typed, and the guardians the row fills', () => {
    const result = parseTemplateRow(
      2,
      good({
        gender: '男',
        idType: '居民身份证',
        nationality: 'CHN',
        ethnicity: '1',
        hkMacaoTaiwan: '否',
        birthplaceCode: '410102-中原区',
        householdCode: 410102,
        householdType: '2-非农业户口',
        address: '  郑州市   中原区 建设路 1 号 ',
        healthStatus: '健康或良好',
        onlyChild: '是',
        leftBehind: '0-非留守',
        migrantWorkerChild: 'N',
        orphan: '0-否',
        guardian1Name: '李红',
        guardian1Relation: '母亲',
        guardian1IdType: '1-居民身份证',
        guardian1IdNumber: MOTHER_ID,
        guardian1Phone: 13800138000,
      }),
      AT,
    );
    expect(result).toEqual({
      ok: true,
      confirmOverAge: false,
      overAge: false,
      child: {
        name: '张小明', gender: '1', birthDate: '2022-03-15', idType: '1', idNumber: BOY_ID, nationality: 'CHN', ethnicity: '01', hkMacaoTaiwan: '00',
        birthplaceCode: '410102', householdCode: '410102', householdType: '2', address: '郑州市 中原区 建设路 1 号', healthStatus: '10', disabilityType: null,
        bloodType: null, onlyChild: '1', leftBehind: '0', migrantWorkerChild: '0', orphan: '0',
        guardians: [{ name: '李红', relation: '母亲', idType: '1', idNumber: MOTHER_ID, phone: '13800138000' }],
      },
    });
  });

  it('accepts every date form registrars use', () => {
    const forms: unknown[] = ['2022-03-15', '2022/3/15', '2022.3.15', '20220315', '2022年3月15日', '2022-3-15', '２０２２－０３－１５', '２０２２年３月１５日', ' 2022 / 03 / 15 ', '2022-03-15 00:00:00', new Date(Date.UTC(2022, 2, 15)), 44635, '44635', 20220315];
    for (const form of forms) {
      expect({ form, parsed: parseTemplateDate(form) }).toEqual({ form, parsed: { ok: true, date: '2022-03-15' } });
      const result = parseTemplateRow(2, good({ birthDate: form }), AT);
      expect(result.ok && result.child.birthDate).toBe('2022-03-15');
    }
    expect(parseTemplateDate('')).toBeUndefined();
    expect(parseTemplateDate(null)).toBeUndefined();
  });

  it('says an impossible date does not exist and an unreadable one which forms are accepted', () => {
    expect(issuesOf(good({ birthDate: '2022-02-30' }))).toEqual([
      { row: 2, column: '出生日期', value: '2022-02-30', code: 'birth-date-not-exist', reason: '出生日期“2022-02-30”不存在：2022 年 2 月没有 30 日，请核对' },
    ]);
    expect(issuesOf(good({ birthDate: '2022-13-01' }))[0]).toMatchObject({ code: 'birth-date-not-exist', reason: expect.stringContaining('没有 13 月') });
    const [unreadable] = issuesOf(good({ birthDate: '3月15日' }));
    expect(unreadable).toMatchObject({ column: '出生日期', value: '3月15日', code: 'birth-date-format' });
    expect(unreadable!.reason).toContain('2022/3/15');
    expect(unreadable!.reason).toContain('20220315');
  });

  it('folds full-width characters and spaces, and takes a lower-case x in an ID number', () => {
    const result = parseTemplateRow(2, good({ name: ' 张\u3000小明 ', gender: '２-女', idNumber: '４１０１０２ ２０２２０３１５ ０７８ｘ', nationality: 'ｃｈｎ' }), AT);
    expect(result).toMatchObject({ ok: true, child: { name: '张 小明', gender: '2', idNumber: GIRL_ID_X, nationality: 'CHN' } });
    expect(parseTemplateRow(2, good({ gender: '2', idNumber: GIRL_ID_X.toLowerCase() }), AT)).toMatchObject({ ok: true, child: { idNumber: GIRL_ID_X } });
  });

  it('refuses an ID number Excel turned into a number, saying to set the column to text', () => {
    for (const idNumber of [410102202203150000, '4.10102202203150E+17', '4.10102E+17']) {
      const issues = issuesOf(good({ idNumber }));
      expect(issues).toEqual([{ row: 2, column: '身份证件号码', value: String(idNumber), code: 'id-number-as-number', reason: expect.stringContaining('文本') }]);
    }
    expect(issuesOf(good({ guardian1Name: '李红', guardian1IdType: '1', guardian1IdNumber: 110105194912310020 }))).toEqual([
      expect.objectContaining({ column: '监护人1身份证件号码', code: 'id-number-as-number' }),
    ]);
  });

  it('reports a code that is not in its table, with the value as typed', () => {
    expect(issuesOf(good({ ethnicity: '火星族' }))).toEqual([
      { row: 2, column: '民族', value: '火星族', code: 'unknown-code', reason: expect.stringContaining('民族“火星族”不在代码表中') },
    ]);
    expect(issuesOf(good({ gender: '3-未知' }))[0]).toMatchObject({ column: '性别', code: 'unknown-code', reason: expect.stringContaining('1-男、2-女') });
  });

  it('reports an empty name, and empty required columns', () => {
    expect(issuesOf(good({ name: '   ' }))).toEqual([{ row: 2, column: '姓名', value: '   ', code: 'name-required', reason: '姓名不能为空' }]);
    expect(issuesOf({ name: '张小明' }).map((i) => [i.column, i.code])).toEqual([
      ['性别', 'gender-required'],
      ['出生日期', 'birth-date-required'],
      ['身份证件类型', 'id-type-required'],
      ['国籍/地区', 'nationality-required'],
    ]);
  });

  it('reports every problem of a row, in column order, each once', () => {
    const issues = issuesOf(good({ name: '张3', gender: 'X', birthDate: '2022-02-30', ethnicity: '火星族', householdCode: '4101', confirmOverAge: '也许' }), 7);
    expect(issues.map((i) => [i.row, i.column, i.value, i.code])).toEqual([
      [7, '姓名', '张3', 'name-characters'],
      [7, '性别', 'X', 'unknown-code'],
      [7, '出生日期', '2022-02-30', 'birth-date-not-exist'],
      [7, '民族', '火星族', 'unknown-code'],
      [7, '户口所在地', '4101', 'division-code'],
      [7, '确认超龄（是/否）', '也许', 'confirm-over-age-value'],
    ]);
  });

  it('reports a disagreement between the ID number and the birth date or gender on the right column', () => {
    expect(issuesOf(good({ birthDate: '2022-03-16', gender: '2' })).map((i) => [i.column, i.code])).toEqual([
      ['性别', 'gender-mismatch'],
      ['出生日期', 'birth-date-mismatch'],
    ]);
  });

  it('includes a guardian only when one of its cells is filled, and names the template guardian in issues', () => {
    const onlySecond = parseTemplateRow(2, good({ guardian2Name: '王强', guardian2Relation: '父亲' }), AT);
    expect(onlySecond).toMatchObject({ ok: true, child: { guardians: [{ name: '王强', relation: '父亲', idType: null, idNumber: null, phone: null }] } });

    const issues = issuesOf(good({ guardian1Name: '李红', guardian1Relation: '母亲', guardian2Relation: '父亲', guardian2IdType: '1-居民身份证', guardian2IdNumber: '110105194912310021', guardian2Phone: '13900139000' }));
    expect(issues.map((i) => [i.column, i.value, i.code])).toEqual([
      ['监护人2姓名', '', 'guardian-name-required'],
      ['监护人2身份证件号码', '110105194912310021', 'id-number-check-digit'],
    ]);
    expect(issuesOf(good({ guardian1IdType: '护照本' }))).toEqual([
      expect.objectContaining({ column: '监护人1姓名', code: 'guardian-name-required' }),
      expect.objectContaining({ column: '监护人1身份证件类型', value: '护照本', code: 'unknown-code' }),
    ]);
  });

  it('asks for confirmation of an over-age child, and takes 是/Y/yes/1/true as confirmation', () => {
    const overAge = good({ birthDate: '2019-01-01', idNumber: OVER_AGE_ID });
    expect(issuesOf(overAge)).toEqual([
      { row: 2, column: '出生日期', value: '2019-01-01', code: 'over-age-unconfirmed', reason: expect.stringMatching(/2026 年 8 月 31 日已满 6 周岁.*确认超龄（是\/否）.*“是”/) },
    ]);
    expect(issuesOf({ ...overAge, confirmOverAge: '否' })[0]!.code).toBe('over-age-unconfirmed');
    for (const yes of ['是', 'Y', 'yes', '1', 'true', true, 1, '１-是']) {
      expect(parseTemplateRow(2, { ...overAge, confirmOverAge: yes }, AT)).toMatchObject({ ok: true, confirmOverAge: true, overAge: true });
    }
    expect(parseTemplateRow(2, good({ confirmOverAge: '是' }), AT)).toMatchObject({ ok: true, confirmOverAge: true, overAge: false });
  });

  it('tells blank rows from filled ones', () => {
    expect(isBlankRow({})).toBe(true);
    expect(isBlankRow({ name: '  ', gender: '\u3000', address: null, idNumber: undefined })).toBe(true);
    expect(isBlankRow({ name: ' ', birthDate: new Date(Date.UTC(2022, 2, 15)) })).toBe(false);
    expect(isBlankRow({ guardian1Phone: 0 })).toBe(false);
  });
});

describe('guardian phones and very young children in the template (issue 22, item 4)', () => {
  it('refuses a phone that is no phone number, in its own column', () => {
    const issues = issuesOf(good({ guardian1Name: '张大明', guardian1Relation: '父亲', guardian1Phone: 'abc' }));
    expect(issues.map((i) => `${i.column}:${i.code}`)).toEqual(['监护人1联系电话:guardian-phone']);
    expect(parseTemplateRow(2, good({ guardian1Name: '张大明', guardian1Relation: '父亲', guardian1Phone: '0371-66000000' }), AT).ok).toBe(true);
  });

  it('asks to confirm a child under 2 through the 确认超龄 column', () => {
    const baby = { birthDate: '2025-10-01', idType: 'Z-其他', idNumber: '' };
    const issues = issuesOf(good(baby));
    expect(issues.map((i) => i.code)).toEqual(['under-age-unconfirmed']);
    expect(issues[0]!.reason).toMatch(/确认超龄/);
    expect(parseTemplateRow(2, good({ ...baby, confirmOverAge: '是' }), AT).ok).toBe(true);
  });
});

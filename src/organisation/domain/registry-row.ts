import type { FieldError } from '../../shared/domain/domain-error.js';
import { halfWidth } from '../../shared/spreadsheets/cell-values.js';
import type { InstitutionType, Ownership, RegistryEntry } from './institution.decider.js';

/** Columns of the registry file: Chinese headers as the registry exports them, English accepted too. */
export const REGISTRY_COLUMNS = {
  code: ['机构标识码', '学校标识码', 'code'],
  name: ['机构名称', 'name'],
  type: ['机构类别', 'type'],
  divisionCode: ['行政区划代码', '所在地区划代码', 'divisionCode'],
  ownership: ['办别', '举办者类型', 'ownership'],
  licence: ['办学许可证号', 'licence', 'license'],
} as const;
export type RegistryColumn = keyof typeof REGISTRY_COLUMNS;
const REQUIRED: RegistryColumn[] = ['code', 'name', 'type', 'divisionCode', 'ownership'];

const TYPE_LABELS: Record<string, InstitutionType> = {
  幼儿园: 'kindergarten', kindergarten: 'kindergarten',
  附设幼儿园: 'attached-kindergarten', 附设幼儿班: 'attached-kindergarten', 'attached-kindergarten': 'attached-kindergarten',
  学前班: 'preschool-class', 'preschool-class': 'preschool-class',
  小学: 'primary-school', 'primary-school': 'primary-school',
};
const OWNERSHIP_LABELS: Record<string, Ownership> = { 公办: 'public', public: 'public', 民办: 'private', private: 'private' };

// 10 digits: school category + province + sequence (data-standards.md section 6)
const INSTITUTION_CODE = /^(11|21|22|31|32|33|34|35|36|37|41|42|51|91|92|93)(1[1-5]|2[1-3]|3[1-7]|4[1-6]|5[0-4]|6[1-5]|71|81|82)\d{6}$/;

/** Full-width digits and letters to half-width, spaces trimmed: what registrars really type. */
export const cleanCell = (value: unknown): string => halfWidth(String(value ?? '')).trim();

/** Maps header cells to columns; unknown headers and missing required columns are reported. */
export function mapHeader(headers: unknown[]): { columns: Map<number, RegistryColumn>; errors: FieldError[] } {
  const columns = new Map<number, RegistryColumn>();
  const errors: FieldError[] = [];
  headers.forEach((raw, index) => {
    const header = cleanCell(raw);
    if (!header) return;
    const column = (Object.keys(REGISTRY_COLUMNS) as RegistryColumn[]).find((c) => (REGISTRY_COLUMNS[c] as readonly string[]).includes(header));
    if (column) columns.set(index, column);
    else errors.push({ field: `第 1 行，第 ${index + 1} 列`, code: 'unknown-column', message: `无法识别的列“${header}”，可用的列：${Object.values(REGISTRY_COLUMNS).map((n) => n[0]).join('、')}`, value: header });
  });
  const present = new Set(columns.values());
  for (const column of REQUIRED) {
    if (!present.has(column)) errors.push({ field: '第 1 行', code: 'missing-column', message: `缺少必需的列“${REGISTRY_COLUMNS[column][0]}”`, value: null });
  }
  return { columns, errors };
}

export interface RowContext {
  /** the deployment's province prefix ("41"); the ministry's deployment accepts every province */
  provincePrefix: string | null;
  isCounty(code: string): boolean;
}

/** One data row to a registry entry, or the list of what is wrong with it (row and column named). */
export function parseRegistryRow(rowNumber: number, cells: Partial<Record<RegistryColumn, unknown>>, context: RowContext): { entry: RegistryEntry } | { errors: FieldError[] } {
  const errors: FieldError[] = [];
  const at = (column: RegistryColumn) => `第 ${rowNumber} 行，${REGISTRY_COLUMNS[column][0]}`;
  const fail = (column: RegistryColumn, code: string, message: string, value: string) => errors.push({ field: at(column), code, message, value });
  const code = cleanCell(cells.code);
  const name = cleanCell(cells.name).replace(/\s+/g, ' ');
  const typeLabel = cleanCell(cells.type);
  const divisionCode = cleanCell(cells.divisionCode);
  const ownershipLabel = cleanCell(cells.ownership);
  const licence = cleanCell(cells.licence) || null;

  if (!INSTITUTION_CODE.test(code)) fail('code', 'invalid-institution-code', '机构标识码应为 10 位数字：2 位学校类别 + 2 位省份代码 + 6 位顺序号', code);
  else if (context.provincePrefix && code.slice(2, 4) !== context.provincePrefix) fail('code', 'institution-outside-province', `机构标识码的省份代码 ${code.slice(2, 4)} 不是本省（${context.provincePrefix}）`, code);
  if (!name) fail('name', 'name-required', '机构名称不能为空', name);
  else if (name.length > 100) fail('name', 'name-too-long', '机构名称不能超过 100 字', name);
  const type = TYPE_LABELS[typeLabel];
  if (!type) fail('type', 'invalid-type', `机构类别应为 ${Object.keys(TYPE_LABELS).filter((k) => /[\u4e00-\u9fff]/.test(k)).join('、')}`, typeLabel);
  if (!/^\d{6}$/.test(divisionCode) || !context.isCounty(divisionCode)) fail('divisionCode', 'unknown-division', '行政区划代码应为本省的 6 位县级区划代码', divisionCode);
  else if (context.provincePrefix && !divisionCode.startsWith(context.provincePrefix)) fail('divisionCode', 'division-outside-province', '行政区划不在本省', divisionCode);
  const ownership = OWNERSHIP_LABELS[ownershipLabel];
  if (!ownership) fail('ownership', 'invalid-ownership', '办别应为 公办 或 民办', ownershipLabel);
  if (licence && licence.length > 50) fail('licence', 'licence-too-long', '办学许可证号不能超过 50 位', licence);
  if (errors.length > 0) return { errors };
  return { entry: { code, name, type: type!, divisionCode, ownership: ownership!, licence } };
}


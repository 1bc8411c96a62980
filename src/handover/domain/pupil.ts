import type { FieldError } from '../../shared/domain/domain-error.js';
import type { ImportIssue, KeyInformation } from '../../records/contracts/index.js';

/**
 * A new pupil as the primary school lists it (学前调档名单): the five key fields. Personal data:
 * the fields keep the records' names (name, idNumber) so encryption at rest finds them.
 */
export type Pupil = KeyInformation;
export type { ImportIssue };

/** What matching found for an entry (issue 16, item 3). */
export type MatchOutcome = 'matched' | 'to-confirm' | 'not-found';

/**
 * `recordId`: the one record of a match; `candidates`: the records a person must choose among
 * (to confirm); `basis`: why they are candidates (same ID number with another name, or without
 * an ID number the same name, gender and birth date).
 */
export interface Match {
  outcome: MatchOutcome;
  recordId: string | null;
  candidates: string[];
  basis: 'id-and-key' | 'id-only' | 'name-gender-birth' | null;
}

/** An entry's place in the school's queue: the match outcome, then what the school did with it. */
export type EntryStatus = 'matched' | 'to-confirm' | 'not-found' | 'none-match' | 'supplemented' | 'deleted';

export const STATUS_LABEL: Record<EntryStatus, string> = {
  matched: '已匹配学前学籍', 'to-confirm': '待确认学前学籍', 'not-found': '未查到学前学籍', 'none-match': '已确认均不匹配',
  supplemented: '已补录（学籍已接续）', deleted: '已删除',
};

/**
 * The 17 preschool fields of the supplement (补录), in the registration system's order
 * (domain.md section 11.5); the five key fields are locked, the other 12 may be edited.
 */
export const SUPPLEMENT_FIELDS = [
  'name', 'gender', 'birthDate', 'birthplaceCode', 'ethnicity', 'nationality', 'idType', 'idNumber', 'hkMacaoTaiwan',
  'householdType', 'householdCode', 'address', 'disabilityType', 'onlyChild', 'leftBehind', 'migrantWorkerChild', 'orphan',
] as const;
export type SupplementField = (typeof SUPPLEMENT_FIELDS)[number];
export type SupplementFields = { [K in SupplementField]: string | null };

export const LOCKED_FIELDS = ['idType', 'idNumber', 'name', 'birthDate', 'gender'] as const satisfies readonly SupplementField[];
export const EDITABLE_FIELDS = SUPPLEMENT_FIELDS.filter((f) => !(LOCKED_FIELDS as readonly string[]).includes(f));

/** Chinese names of the 17 fields, as the registration template heads its columns. */
export const FIELD_LABEL: Record<SupplementField, string> = {
  name: '姓名', gender: '性别', birthDate: '出生日期', birthplaceCode: '出生地', ethnicity: '民族', nationality: '国籍/地区',
  idType: '身份证件类型', idNumber: '身份证件号码', hkMacaoTaiwan: '港澳台侨外', householdType: '户口性质', householdCode: '户口所在地',
  address: '现住址', disabilityType: '残疾人类型', onlyChild: '是否独生子女', leftBehind: '是否留守儿童', migrantWorkerChild: '是否进城务工人员随迁子女', orphan: '是否孤儿',
};

/**
 * The locked key fields of a supplement must be the record's own (a key change is made later
 * in the registration system's key-data change): each one changed is a field error.
 */
export function lockedFieldChanges(fields: SupplementFields, record: Pupil): FieldError[] {
  return LOCKED_FIELDS.filter((f) => (fields[f] ?? null) !== (record[f] ?? null)).map((f) => ({
    field: f,
    code: 'key-field-locked',
    message: `${FIELD_LABEL[f]}是关键信息，补录时不能修改（应为“${record[f] ?? ''}”）；如确需更正，请在学籍系统中办理关键数据变更`,
    value: fields[f],
  }));
}

import { describe, expect, it } from '@jest/globals';
import { EventRegistry } from '../../shared/events/event-registry.js';
import { deciderSpec } from '../../shared/testing/decider-spec.js';
import { type ChildFields, dedupeKey, validateChild } from './child.js';
import { type RecordEvent, recordDecider } from './record.decider.js';
import { EXAMPLE_CHILD, RECORD_EVENTS } from './record.events.js';
import { jRecordNumber } from './record-number.js';

const spec = deciderSpec(recordDecider, new EventRegistry().register(RECORD_EVENTS));
const at = '2026-09-05T02:00:00.000Z';
const recordId = '6a1f0c1e-7b2d-4c3e-9f10-a2b3c4d5e6f7';
const caseId = '8b2e1d3f-4c5a-4b6c-8d7e-9f0a1b2c3d4e';
const child = EXAMPLE_CHILD;
const key = dedupeKey(child, '1141010001');

const saved: RecordEvent = { type: 'RecordSaved', data: { recordId, institutionCode: '1141010001', divisionCode: '410102', child, overAgeConfirmed: false, importRef: null, savedAt: at } };
const submitted: RecordEvent = { type: 'RecordSubmitted', data: { recordId, dedupeKey: key, submittedAt: at } };
const passed: RecordEvent = { type: 'RecordPassedDeduplication', data: { recordId, passedAt: at } };
const approved: RecordEvent = { type: 'RecordApproved', data: { recordId, approvedAt: at } };
const numbered: RecordEvent = { type: 'RecordNumberIssued', data: { recordId, recordNumber: `G${child.idNumber}`, issuedAt: at } };
const rejected: RecordEvent = { type: 'RecordRejected', data: { recordId, rejectedAt: at }, reason: '出生日期与户口簿不符' };
const save = (c: ChildFields = child, confirmOverAge = false) => ({ type: 'SaveRecord' as const, recordId, institutionCode: '1141010001', divisionCode: '410102', child: c, confirmOverAge, importRef: null, at });

describe('child record decider', () => {
  it('saves a valid record', () => {
    spec.given([]).when(save()).then([saved]);
  });

  it('refuses invalid fields, naming each', () => {
    const error = spec.given([]).when(save({ ...child, name: '', birthDate: '2022-02-30', ethnicity: '57' })).thenFails('validation-failed', 'validation');
    expect(error.errors.map((e) => `${e.field}:${e.code}`)).toEqual(['name:name-required', 'birthDate:birth-date-invalid', 'ethnicity:unknown-code']);
  });

  it('refuses an over-age child unless the caller confirms, and records the confirmation', () => {
    const old = { ...child, idType: 'Z', idNumber: null, birthDate: '2019-05-01' };
    spec.given([]).when(save(old)).thenFails('over-age-unconfirmed', 'rule');
    spec.given([]).when(save(old, true)).then([{ ...saved, data: { ...(saved.data as object), child: old, overAgeConfirmed: true } } as RecordEvent]);
  });

  it('edits and deletes while saved or rejected, never once approved', () => {
    const edited = { ...child, address: '郑州市中原区桐柏路 1 号' };
    spec.given([saved]).when({ type: 'EditRecord', child: edited, confirmOverAge: false, at }).then([{ type: 'RecordEdited', data: { recordId, child: edited, overAgeConfirmed: false, editedAt: at } }]);
    spec.given([saved, submitted, passed, rejected]).when({ type: 'DeleteRecord', reason: '重复录入', at }).then([{ type: 'RecordDeleted', data: { recordId, deletedAt: at }, reason: '重复录入' }]);
    spec.given([saved, submitted, passed, approved, numbered]).when({ type: 'DeleteRecord', reason: 'x', at }).thenFails('record-status');
    spec.given([saved, submitted, passed, approved, numbered]).when({ type: 'EditRecord', child: edited, confirmOverAge: false, at }).thenFails('record-status');
    spec.given([saved, { type: 'RecordDeleted', data: { recordId, deletedAt: at } }]).when({ type: 'SubmitRecord', at }).thenFails('record-not-found', 'not_found');
  });

  it('submits a saved or rejected record, not one already submitted', () => {
    spec.given([saved]).when({ type: 'SubmitRecord', at }).then([submitted]);
    spec.given([saved, submitted, passed, rejected]).when({ type: 'SubmitRecord', at }).then([submitted]);
    spec.given([saved, submitted]).when({ type: 'SubmitRecord', at }).thenFails('record-status');
  });

  it('de-duplication passes it or flags it as a problem record, once', () => {
    spec.given([saved, submitted]).when({ type: 'PassDeduplication', dedupeKey: key, at }).then([passed]);
    spec.given([saved, submitted, passed]).when({ type: 'PassDeduplication', dedupeKey: key, at }).then([]);
    spec.given([saved, submitted]).when({ type: 'FlagAsDuplicate', caseId, dedupeKey: key, at }).then([{ type: 'RecordFlaggedAsDuplicate', data: { recordId, caseId, flaggedAt: at } }]);
    // outcomes of an earlier submission or of another key change nothing (they arrive twice: request and reactor)
    spec.given([saved]).when({ type: 'PassDeduplication', dedupeKey: key, at }).then([]);
    spec.given([saved, submitted]).when({ type: 'PassDeduplication', dedupeKey: 'id:110105194912310029', at }).then([]);
    spec.given([saved, submitted]).when({ type: 'FlagAsDuplicate', caseId, dedupeKey: 'id:110105194912310029', at }).then([]);
  });

  it('stores what the registrar meant: trimmed text, upper-case X, codes for labels', () => {
    const typed = { ...child, name: ' 王小明 ', gender: '男', idNumber: '4101 0220 2203 1500 18', ethnicity: '汉族', nationality: 'chn', address: '  ' };
    spec.given([]).when(save(typed)).then([{ ...saved, data: { ...(saved.data as object), child: { ...child, address: null } } } as RecordEvent]);
  });

  it('an approved record becomes a problem record when a later entry shares its key, remembering it was approved', () => {
    const flagged: RecordEvent = { type: 'RecordFlaggedAsDuplicate', data: { recordId, caseId, flaggedAt: at } };
    spec.given([saved, submitted, passed, approved, numbered]).when({ type: 'FlagAsDuplicate', caseId, dedupeKey: key, at }).then([flagged]);
    spec.given([saved, submitted, passed, approved, numbered, flagged]).thenState({ status: 'problem', statusBeforeProblem: 'numbered', recordNumber: `G${child.idNumber}` });
    spec.given([saved, submitted, passed, approved, numbered, flagged]).when({ type: 'ApproveRecord', recordNumber: `G${child.idNumber}`, at }).thenFails('record-status');
    // a saved (never submitted) or rejected record holds no key: a late flag changes nothing
    spec.given([saved]).when({ type: 'FlagAsDuplicate', caseId, dedupeKey: key, at }).then([]);
    spec.given([saved, submitted, passed, rejected]).when({ type: 'FlagAsDuplicate', caseId, dedupeKey: key, at }).then([]);
  });

  it('approval issues the G number at once; a child without an ID gets a J number', () => {
    spec.given([saved, submitted, passed]).when({ type: 'ApproveRecord', recordNumber: `G${child.idNumber}`, at }).then([approved, numbered]);
    spec.given([saved, submitted, passed]).when({ type: 'ApproveRecord', recordNumber: 'G11010519491231002X', at }).thenFails('record-number-scheme');
    const noId = { ...child, idType: 'Z', idNumber: null };
    const j = jRecordNumber('410102', noId.birthDate, 1);
    spec.given([{ ...saved, data: { ...(saved.data as object), child: noId } } as RecordEvent, submitted, passed]).when({ type: 'ApproveRecord', recordNumber: j, at }).then([
      approved,
      { type: 'RecordNumberIssued', data: { recordId, recordNumber: j, issuedAt: at } },
    ]);
    spec.given([saved, submitted]).when({ type: 'ApproveRecord', recordNumber: `G${child.idNumber}`, at }).thenFails('record-status');
  });

  it('rejects with a reason only', () => {
    spec.given([saved, submitted, passed]).when({ type: 'RejectRecord', reason: '出生日期与户口簿不符', at }).then([rejected]);
    spec.given([saved, submitted, passed]).when({ type: 'RejectRecord', reason: ' ', at }).thenFails('validation-failed');
  });

  it('a key-information change sends an approved record through de-duplication and review again, keeping its number', () => {
    const after = { name: '王晓明', gender: '1', birthDate: child.birthDate, idType: '1', idNumber: child.idNumber };
    const before = { name: '王小明', gender: '1', birthDate: child.birthDate, idType: '1', idNumber: child.idNumber };
    spec.given([saved, submitted, passed, approved, numbered]).when({ type: 'ChangeKeyInformation', key: after, confirmOverAge: false, reason: '户口簿姓名更正', at }).then([
      { type: 'KeyInformationChanged', data: { recordId, before, after, dedupeKey: key, changedAt: at }, reason: '户口簿姓名更正' },
    ]);
    const changed: RecordEvent = { type: 'KeyInformationChanged', data: { recordId, before, after, dedupeKey: key, changedAt: at } };
    spec.given([saved, submitted, passed, approved, numbered, changed]).thenState({ status: 'submitted', recordNumber: `G${child.idNumber}` });
    // approved again without a second number
    spec.given([saved, submitted, passed, approved, numbered, changed, passed]).when({ type: 'ApproveRecord', recordNumber: 'ignored', at }).then([approved]);
    spec.given([saved, submitted, passed, approved, numbered]).when({ type: 'ChangeKeyInformation', key: before, confirmOverAge: false, reason: '无变化', at }).then([]);
    spec.given([saved]).when({ type: 'ChangeKeyInformation', key: after, confirmOverAge: false, reason: '更正姓名', at }).thenFails('record-status');
    spec.given([saved, submitted, passed, approved, numbered]).when({ type: 'ChangeKeyInformation', key: after, confirmOverAge: false, reason: ' ', at }).thenFails('validation-failed');
    // a new ID number means a new de-duplication key
    const newId = { ...after, idNumber: '410102202203150026', gender: '2' };
    spec.given([saved, submitted, passed, approved, numbered]).when({ type: 'ChangeKeyInformation', key: newId, confirmOverAge: false, reason: '身份证号抄错', at }).then([
      { type: 'KeyInformationChanged', data: { recordId, before, after: newId, dedupeKey: 'id:410102202203150026', changedAt: at }, reason: '身份证号抄错' },
    ]);
  });
});

describe('child field validation', () => {
  it('requires the birth date and gender to agree with a resident ID number', () => {
    const { errors } = validateChild({ ...child, birthDate: '2022-03-16', gender: '2' }, at);
    expect(errors.map((e) => e.code)).toEqual(['birth-date-mismatch', 'gender-mismatch']);
    expect(errors[0]!.message).toMatch(/2022-03-15/);
  });
  it('allows an empty number only for ID type 其他 (Z)', () => {
    expect(validateChild({ ...child, idType: 'Z', idNumber: null }, at).errors).toEqual([]);
    expect(validateChild({ ...child, idType: 'A', idNumber: null }, at).errors.map((e) => e.code)).toEqual(['id-number-required']);
    expect(validateChild({ ...child, idType: '1', idNumber: '410102202203150017' }, at).errors.map((e) => e.code)).toEqual(['id-number-check-digit']);
  });
  it('checks codes, guardians and formats, and warns about over-age children only', () => {
    const { errors } = validateChild({ ...child, nationality: 'China', birthplaceCode: '41', guardians: [{ name: '', relation: '母亲', idType: '1', idNumber: '123', phone: null }] }, at);
    expect(errors.map((e) => e.field)).toEqual(['nationality', 'birthplaceCode', 'guardians[0].name', 'guardians[0].idNumber']);
    expect(validateChild({ ...child, idType: 'Z', idNumber: null, birthDate: '2020-09-01' }, at).warnings).toEqual([]);
    expect(validateChild({ ...child, idType: 'Z', idNumber: null, birthDate: '2020-08-31' }, at).warnings.map((w) => w.code)).toEqual(['over-age']);
  });
  it('keys de-duplication on the ID number, or on name + gender + birth date within the institution', () => {
    expect(dedupeKey(child, '1141010001')).toBe(`id:${child.idNumber}`);
    expect(dedupeKey({ ...child, idType: 'Z', idNumber: null, name: '王 小明' }, '1141010001')).toBe('nid:1141010001:王小明:1:2022-03-15');
  });
});

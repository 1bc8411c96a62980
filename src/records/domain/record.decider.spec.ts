import { describe, expect, it } from '@jest/globals';
import { EventRegistry } from '../../shared/events/event-registry.js';
import { deciderSpec } from '../../shared/testing/decider-spec.js';
import { type ChildFields, dedupeKey, validateChild } from './child.js';
import { testHasher } from '../../shared/testing/test-hasher.js';
import { legacyKeyHash } from './dedupe-key.decider.js';
import { type RecordEvent, recordDecider } from './record.decider.js';
import { EXAMPLE_CHILD, RECORD_EVENTS } from './record.events.js';
import { jRecordNumber } from './record-number.js';

const spec = deciderSpec(recordDecider, new EventRegistry().register(RECORD_EVENTS));
const at = '2026-09-05T02:00:00.000Z';
const recordId = '6a1f0c1e-7b2d-4c3e-9f10-a2b3c4d5e6f7';
const caseId = '8b2e1d3f-4c5a-4b6c-8d7e-9f0a1b2c3d4e';
const child = EXAMPLE_CHILD;
const key = dedupeKey(child, '1141010001');
/** the key stream's keyed hash (the application computes it with the deployment secret, ADR 22) */
const keyHash = (k: string) => testHasher().hash('dedupe-key', k);

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

  it('asks to confirm a child under 2 on 31 August, as it does an over-age one (issue 22, item 4)', () => {
    const baby = { ...child, idType: 'Z', idNumber: null, birthDate: '2025-10-01' };
    const error = spec.given([]).when(save(baby)).thenFails('under-age-unconfirmed', 'rule');
    expect(error.message).toMatch(/未满 2 周岁/);
    spec.given([]).when(save(baby, true)).then([{ ...saved, data: { ...(saved.data as object), child: baby, overAgeConfirmed: true } } as RecordEvent]);
  });

  it('needs a reason to delete a problem record; a status refusal says what to do next (issue 22, item 4)', () => {
    const flagged: RecordEvent = { type: 'RecordFlaggedAsDuplicate', data: { recordId, caseId, keyHash: keyHash(key), flaggedAt: at } };
    const error = spec.given([saved, submitted, flagged]).when({ type: 'DeleteRecord', reason: ' ', at }).thenFails('validation-failed', 'validation');
    expect(error.errors.map((e) => `${e.field}:${e.code}`)).toEqual(['reason:delete-reason-required']);
    spec.given([saved]).when({ type: 'DeleteRecord', reason: '', at }).then([{ type: 'RecordDeleted', data: { recordId, deletedAt: at }, reason: '删除未生效的记录' }]);
    const refusal = spec.given([saved, submitted, flagged]).when({ type: 'ApproveRecord', recordNumber: `G${child.idNumber}`, at }).thenFails('record-status');
    expect(refusal.message).toMatch(/^当前状态为“问题学籍”，不能.+。请在“问题学籍”中处理/);
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
    spec.given([saved, submitted]).when({ type: 'FlagAsDuplicate', caseId, keyHash: keyHash(key), dedupeKey: key, at }).then([{ type: 'RecordFlaggedAsDuplicate', data: { recordId, caseId, keyHash: keyHash(key), flaggedAt: at } }]);
    // outcomes of an earlier submission or of another key change nothing (they arrive twice: request and reactor)
    spec.given([saved]).when({ type: 'PassDeduplication', dedupeKey: key, at }).then([]);
    spec.given([saved, submitted]).when({ type: 'PassDeduplication', dedupeKey: 'id:110105194912310029', at }).then([]);
    spec.given([saved, submitted]).when({ type: 'FlagAsDuplicate', caseId, keyHash: keyHash('id:110105194912310029'), dedupeKey: 'id:110105194912310029', at }).then([]);
  });

  it('stores what the registrar meant: trimmed text, upper-case X, codes for labels', () => {
    const typed = { ...child, name: ' 王小明 ', gender: '男', idNumber: '4101 0220 2203 1500 18', ethnicity: '汉族', nationality: 'chn', address: '  ' };
    spec.given([]).when(save(typed)).then([{ ...saved, data: { ...(saved.data as object), child: { ...child, address: null } } } as RecordEvent]);
  });

  it('an approved record becomes a problem record when a later entry shares its key, remembering it was approved', () => {
    const flagged: RecordEvent = { type: 'RecordFlaggedAsDuplicate', data: { recordId, caseId, keyHash: keyHash(key), flaggedAt: at } };
    spec.given([saved, submitted, passed, approved, numbered]).when({ type: 'FlagAsDuplicate', caseId, keyHash: keyHash(key), dedupeKey: key, at }).then([flagged]);
    spec.given([saved, submitted, passed, approved, numbered, flagged]).thenState({ status: 'problem', statusBeforeProblem: 'numbered', recordNumber: `G${child.idNumber}` });
    spec.given([saved, submitted, passed, approved, numbered, flagged]).when({ type: 'ApproveRecord', recordNumber: `G${child.idNumber}`, at }).thenFails('record-status');
    // a saved (never submitted) or rejected record holds no key: a late flag changes nothing
    spec.given([saved]).when({ type: 'FlagAsDuplicate', caseId, keyHash: keyHash(key), dedupeKey: key, at }).then([]);
    spec.given([saved, submitted, passed, rejected]).when({ type: 'FlagAsDuplicate', caseId, keyHash: keyHash(key), dedupeKey: key, at }).then([]);
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

describe('child record decider: problem records (issue 5)', () => {
  const flagged: RecordEvent = { type: 'RecordFlaggedAsDuplicate', data: { recordId, caseId, keyHash: keyHash(key), flaggedAt: at } };
  const hash = keyHash(key);
  const left = (how: 'deleted' | 'corrected' | 'force-deleted'): RecordEvent => ({ type: 'RecordLeftDuplicateCase', data: { recordId, caseId, keyHash: hash, how, leftAt: at } });
  const deleted = (reason: string): RecordEvent => ({ type: 'RecordDeleted', data: { recordId, deletedAt: at }, reason });
  const problem = [saved, submitted, flagged];
  const approvedProblem = [saved, submitted, passed, approved, numbered, flagged];

  it('its institution deletes it: it leaves the case, even if it was approved once', () => {
    spec.given(problem).when({ type: 'DeleteRecord', reason: '本园重复录入', at }).then([left('deleted'), deleted('本园重复录入')]);
    spec.given(approvedProblem).when({ type: 'DeleteRecord', reason: '幼儿已在他园就读', at }).then([left('deleted'), deleted('幼儿已在他园就读')]);
  });

  it('corrected in its key it leaves the case and is submitted again; other corrections keep it in the case', () => {
    const other = { ...child, idNumber: '410102202203150026', gender: '2' };
    spec.given(problem).when({ type: 'EditRecord', child: other, confirmOverAge: false, at }).then([
      { type: 'RecordEdited', data: { recordId, child: other, overAgeConfirmed: false, editedAt: at } },
      left('corrected'),
      { type: 'RecordSubmitted', data: { recordId, dedupeKey: 'id:410102202203150026', submittedAt: at } },
    ]);
    const moved = { ...child, address: '郑州市中原区桐柏路 1 号' };
    spec.given(problem).when({ type: 'EditRecord', child: moved, confirmOverAge: false, at }).then([{ type: 'RecordEdited', data: { recordId, child: moved, overAgeConfirmed: false, editedAt: at } }]);
    // an approved one is corrected by the review account's key-information change
    spec.given(approvedProblem).when({ type: 'EditRecord', child: other, confirmOverAge: false, at }).thenFails('key-information-change-required');
    const before = { name: '王小明', gender: '1', birthDate: child.birthDate, idType: '1', idNumber: child.idNumber };
    const after = { ...before, idNumber: '410102202203150026', gender: '2' };
    spec.given(approvedProblem).when({ type: 'ChangeKeyInformation', key: after, confirmOverAge: false, reason: '身份证号抄错', at }).then([
      left('corrected'),
      { type: 'KeyInformationChanged', data: { recordId, before, after, dedupeKey: 'id:410102202203150026', changedAt: at }, reason: '身份证号抄错' },
    ]);
    spec.given(approvedProblem).when({ type: 'ChangeKeyInformation', key: { ...before, name: '王晓明' }, confirmOverAge: false, reason: '姓名更正', at }).thenFails('correction-key-unchanged');
    spec.given(problem).when({ type: 'ChangeKeyInformation', key: after, confirmOverAge: false, reason: '身份证号抄错', at }).thenFails('record-status');
  });

  it('the case keeps it (back to dedupe-passed, or numbered with its number) or voids it, once, and only for its current case', () => {
    spec.given(problem).when({ type: 'KeepAfterDuplicateCase', caseId, at }).then([{ type: 'RecordKeptAfterDuplicateCase', data: { recordId, caseId, status: 'dedupe-passed', keptAt: at } }]);
    spec.given(approvedProblem).when({ type: 'KeepAfterDuplicateCase', caseId, at }).then([{ type: 'RecordKeptAfterDuplicateCase', data: { recordId, caseId, status: 'numbered', keptAt: at } }]);
    const kept: RecordEvent = { type: 'RecordKeptAfterDuplicateCase', data: { recordId, caseId, status: 'numbered', keptAt: at } };
    spec.given([...approvedProblem, kept]).thenState({ status: 'numbered', recordNumber: `G${child.idNumber}`, caseId: null });
    spec.given([...approvedProblem, kept]).when({ type: 'KeepAfterDuplicateCase', caseId, at }).then([]);
    spec.given(problem).when({ type: 'KeepAfterDuplicateCase', caseId: '11111111-1111-4111-8111-111111111111', at }).then([]);
    const voided: RecordEvent = { type: 'RecordVoided', data: { recordId, caseId, voidedAt: at }, reason: '佐证审核未通过' };
    spec.given(problem).when({ type: 'VoidRecord', caseId, reason: '佐证审核未通过', at }).then([voided]);
    spec.given([...problem, voided]).when({ type: 'VoidRecord', caseId, reason: '佐证审核未通过', at }).then([]);
    // a corrected record that left the case is not voided by the case's late outcome
    spec.given([...problem, left('corrected'), { type: 'RecordSubmitted', data: { recordId, dedupeKey: 'id:410102202203150026', submittedAt: at } }]).when({ type: 'VoidRecord', caseId, reason: 'x', at }).then([]);
  });

  it('a void record is final: never approved, edited, deleted, submitted, flagged or changed', () => {
    const gone = [...approvedProblem, { type: 'RecordVoided', data: { recordId, caseId, voidedAt: at } } as RecordEvent];
    spec.given(gone).when({ type: 'ApproveRecord', recordNumber: `G${child.idNumber}`, at }).thenFails('record-status');
    spec.given(gone).when({ type: 'EditRecord', child, confirmOverAge: false, at }).thenFails('record-status');
    spec.given(gone).when({ type: 'DeleteRecord', reason: 'x', at }).thenFails('record-status');
    spec.given(gone).when({ type: 'SubmitRecord', at }).thenFails('record-status');
    spec.given(gone).when({ type: 'ChangeKeyInformation', key: { name: '王晓明', gender: '1', birthDate: child.birthDate, idType: '1', idNumber: child.idNumber }, confirmOverAge: false, reason: '更正', at }).thenFails('record-status');
    spec.given(gone).when({ type: 'FlagAsDuplicate', caseId: '11111111-1111-4111-8111-111111111111', keyHash: hash, dedupeKey: key, at }).then([]);
    spec.given(gone).when({ type: 'KeepAfterDuplicateCase', caseId, at }).then([]);
  });

  it('the county force-deletes it only through its current case', () => {
    spec.given(problem).when({ type: 'ForceDeleteRecord', caseId, reason: '长期未处理', at }).then([left('force-deleted'), deleted('长期未处理')]);
    spec.given([...problem, left('force-deleted'), deleted('长期未处理')]).when({ type: 'ForceDeleteRecord', caseId, reason: '长期未处理', at }).then([]);
  });

  it('leaves its case by the keyed hash it was flagged under; one flagged before ADR 22 by the unkeyed one; re-keying moves it to the new hash', () => {
    const legacyFlag: RecordEvent = { type: 'RecordFlaggedAsDuplicate', data: { recordId, caseId, flaggedAt: at } };
    const legacy = [saved, submitted, legacyFlag];
    const deleteIt = { type: 'DeleteRecord' as const, reason: '重复录入', at };
    spec.given(legacy).when(deleteIt).then([
      { type: 'RecordLeftDuplicateCase', data: { recordId, caseId, keyHash: legacyKeyHash(key), how: 'deleted', leftAt: at } },
      { type: 'RecordDeleted', data: { recordId, deletedAt: at }, reason: '重复录入' },
    ]);
    // the re-keying command flags it again in the same case under the keyed hash: from then on it leaves by that one
    const reflag = { type: 'FlagAsDuplicate' as const, caseId, keyHash: hash, dedupeKey: key, at };
    spec.given(legacy).when(reflag).then([flagged]);
    spec.given([...legacy, flagged]).when(reflag).then([]);
    spec.given([...legacy, flagged]).when(deleteIt).then([left('deleted'), { type: 'RecordDeleted', data: { recordId, deletedAt: at }, reason: '重复录入' }]);
    // a flag for a key the record no longer holds changes nothing, whatever hash it names
    spec.given([saved, submitted]).when({ ...reflag, dedupeKey: 'id:410102202203150026' }).then([]);
  });

  it('a record moved from a closed case into the key’s new one keeps where it returns to', () => {
    const other = '11111111-1111-4111-8111-111111111111';
    spec.given(approvedProblem).when({ type: 'FlagAsDuplicate', caseId: other, keyHash: hash, dedupeKey: key, at }).then([{ type: 'RecordFlaggedAsDuplicate', data: { recordId, caseId: other, keyHash: keyHash(key), flaggedAt: at } }]);
    spec.given([...approvedProblem, { type: 'RecordFlaggedAsDuplicate', data: { recordId, caseId: other, keyHash: keyHash(key), flaggedAt: at } }]).thenState({ status: 'problem', caseId: other, statusBeforeProblem: 'numbered' });
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
  it('takes "today" and the school year in Beijing time, not UTC', () => {
    const noId = { ...child, idType: 'Z', idNumber: null };
    // 07:00 on 1 September in Beijing is still 31 August in UTC: a child born that day is not born in the future
    const sevenInBeijing = '2026-08-31T23:00:00.000Z';
    expect(validateChild({ ...noId, birthDate: '2026-09-01' }, sevenInBeijing).errors).toEqual([]);
    expect(validateChild({ ...noId, birthDate: '2026-09-02' }, sevenInBeijing).errors.map((e) => e.code)).toEqual(['birth-date-future']);
    // the school year 2026 begins at 00:00 on 1 September in Beijing (16:00 UTC): a child 6 on 31 August 2026 is over-age from then
    const overAge = { ...noId, birthDate: '2020-08-31' };
    expect(validateChild(overAge, '2026-08-31T15:59:00.000Z').warnings).toEqual([]);
    expect(validateChild(overAge, '2026-08-31T16:30:00.000Z').warnings).toEqual([expect.objectContaining({ code: 'over-age', message: expect.stringMatching(/2026 年 8 月 31 日/) })]);
    spec.given([]).when({ ...save(overAge), at: '2026-08-31T16:30:00.000Z' }).thenFails('over-age-unconfirmed', 'rule');
  });
  it('keys de-duplication on the ID number, or on name + gender + birth date within the institution', () => {
    expect(dedupeKey(child, '1141010001')).toBe(`id:${child.idNumber}`);
    expect(dedupeKey({ ...child, idType: 'Z', idNumber: null, name: '王 小明' }, '1141010001')).toBe('nid:1141010001:王小明:1:2022-03-15');
  });
});

describe('child record decider: an import that did not complete is withdrawn (ADR 0011)', () => {
  const batchId = '9c3f2e4a-5d6b-4c7d-8e9f-0a1b2c3d4e5f';
  const imported: RecordEvent = { ...saved, data: { ...(saved.data as object), importRef: { batchId, row: 7 } } } as RecordEvent;
  const withdraw = { type: 'WithdrawImportedRecord' as const, batchId, reason: '模板导入未完成，本批次已整体撤销', at };
  const deleted: RecordEvent = { type: 'RecordDeleted', data: { recordId, deletedAt: at }, reason: withdraw.reason };
  const flagged: RecordEvent = { type: 'RecordFlaggedAsDuplicate', data: { recordId, caseId, keyHash: keyHash(key), flaggedAt: at } };

  it('deletes a record of the batch as a deletion would, once', () => {
    spec.given([imported]).when(withdraw).then([deleted]);
    spec.given([imported, deleted]).when(withdraw).then([]);
    spec.given([imported, submitted, flagged]).when(withdraw).then([
      { type: 'RecordLeftDuplicateCase', data: { recordId, caseId, keyHash: keyHash(key), how: 'deleted', leftAt: at } },
      deleted,
    ]);
  });

  it('leaves a record of another batch, one never stored, and one a registrar took further', () => {
    spec.given([saved]).when(withdraw).then([]);
    spec.given([]).when(withdraw).then([]);
    spec.given([imported, submitted]).when(withdraw).then([]);
    spec.given([imported, submitted, passed, approved, numbered]).when(withdraw).then([]);
    spec.given([imported, submitted, passed, approved, numbered, flagged]).when(withdraw).then([]);
  });
});


describe('child record decider: leaves, accident cancellation and restoration (issue 14)', () => {
  const left: RecordEvent = { type: 'RecordLeft', data: { recordId, leaveType: 'graduated', leaveDate: '2027-07-05', leftAt: at }, reason: '整班毕业离园' };
  const leave = { type: 'LeaveRecord' as const, leaveType: 'graduated' as const, leaveDate: '2027-07-05', reason: '整班毕业离园', at };
  const cancel = { type: 'CancelRecord' as const, accidentDate: '2026-09-01', lastAllowedDate: '2026-10-20', today: '2026-09-05', proofFileIds: ['a'.repeat(64)], reason: '意外身故', at };
  const inKindergarten = [saved, submitted, passed, approved, numbered];

  it('a numbered child leaves; the same leave again (a reactor repeating it) changes nothing; a saved one cannot', () => {
    spec.given(inKindergarten).when(leave).then([left]);
    spec.given([...inKindergarten, left]).when(leave).then([]);
    spec.given([saved]).when(leave).thenFails('record-status');
  });

  it('accident leave needs proof and the working-day deadline', () => {
    spec.given(inKindergarten).when(cancel).then([{ type: 'RecordCancelled', data: { recordId, accidentDate: '2026-09-01', proofFileIds: ['a'.repeat(64)], cancelledAt: at }, reason: '意外身故' }]);
    spec.given(inKindergarten).when({ ...cancel, proofFileIds: [] }).thenFails('validation-failed');
    const late = spec.given(inKindergarten).when({ ...cancel, today: '2026-10-21' }).thenFails('accident-leave-overdue');
    expect(late.message).toContain('2026-10-20');
  });

  it('restores exactly as before: numbered with the same number; the same application again changes nothing', () => {
    const restored: RecordEvent = { type: 'RecordRestored', data: { recordId, applicationId: caseId, restoredAt: at } };
    const state = spec.given([...inKindergarten, left]).when({ type: 'RestoreRecord', applicationId: caseId, at }).then([restored]);
    expect(state).toMatchObject({ status: 'numbered', recordNumber: `G${child.idNumber}`, leave: null });
    spec.given([...inKindergarten, left, restored]).when({ type: 'RestoreRecord', applicationId: caseId, at }).then([]);
    spec.given(inKindergarten).when({ type: 'RestoreRecord', applicationId: caseId, at }).thenFails('record-status');
  });

  it('erases a record of any status with a reason; it gives its key up, a problem record leaves its case; erasing again changes nothing', () => {
    const erase = { type: 'EraseRecord' as const, ground: 'created-by-mistake' as const, reason: '测试时误录入，经园方书面申请删除', at, hashKey: keyHash };
    const erased: RecordEvent = { type: 'RecordErased', data: { recordId, ground: 'created-by-mistake', keyHash: keyHash(key), erasedAt: at }, reason: erase.reason };
    const state = spec.given([saved, submitted, passed, approved, numbered]).when(erase).then([erased]);
    expect(state).toMatchObject({ status: 'erased', dedupeKey: null });
    spec.given([saved]).when(erase).then([{ ...erased, data: { ...(erased.data as object), keyHash: null } } as RecordEvent]);
    const flagged: RecordEvent = { type: 'RecordFlaggedAsDuplicate', data: { recordId, caseId, keyHash: keyHash(key), flaggedAt: at } };
    spec.given([saved, submitted, flagged]).when(erase).then([
      { type: 'RecordLeftDuplicateCase', data: { recordId, caseId, keyHash: keyHash(key), how: 'deleted', leftAt: at } },
      erased,
    ]);
    spec.given([saved, erased]).when(erase).then([]);
    spec.given([saved]).when({ ...erase, reason: '误录' }).thenFails('validation-failed', 'validation');
    spec.given([]).when(erase).thenFails('record-not-found');
    // nothing can be done with it any more
    spec.given([saved, erased]).when({ type: 'SubmitRecord', at }).thenFails('record-status');
  });
});

describe('child record decider: hand-over to a primary school (issue 16)', () => {
  const inKindergarten = [saved, submitted, passed, approved, numbered];
  const school = { schoolCode: '2141010101', schoolName: '郑州市中原区建设路小学', entryId: caseId };
  const handOver = { type: 'HandOverRecord' as const, ...school, at };
  const handedOver = (leftKindergarten: boolean): RecordEvent => ({ type: 'RecordHandedOver', data: { recordId, ...school, leftKindergarten, handedOverAt: at }, reason: '学籍接续到郑州市中原区建设路小学' });
  const leftForSchool: RecordEvent = { type: 'RecordLeft', data: { recordId, leaveType: 'graduated', leaveDate: '2026-09-05', leftAt: at }, reason: '升入小学（学籍接续到郑州市中原区建设路小学）' };

  it('a child still in the kindergarten leaves it (graduated, on the Beijing date) and is handed over', () => {
    const state = spec.given(inKindergarten).when(handOver).then([leftForSchool, handedOver(true)]);
    expect(state).toMatchObject({ status: 'left', handedOver: { schoolCode: '2141010101', schoolName: '郑州市中原区建设路小学', entryId: caseId, at } });
  });

  it('a child that already graduated is handed over without another leave', () => {
    const graduated: RecordEvent = { type: 'RecordLeft', data: { recordId, leaveType: 'graduated', leaveDate: '2026-07-05', leftAt: at }, reason: '整班毕业离园' };
    const state = spec.given([...inKindergarten, graduated]).when(handOver).then([handedOver(false)]);
    expect(state.leave).toEqual({ leaveType: 'graduated', leaveDate: '2026-07-05' });
  });

  it('one school at most: the same school again changes nothing, another is refused naming the first', () => {
    const done = [...inKindergarten, leftForSchool, handedOver(true)];
    spec.given(done).when(handOver).then([]);
    // the same school's other entry for the child (listed twice): told so, nothing changes
    expect(spec.given(done).when({ ...handOver, entryId: recordId }).thenFails('record-handed-over-here', 'rule').message).toContain('本校');
    const refused = spec.given(done).when({ ...handOver, schoolCode: '2141010102', schoolName: '郑州市中原区桐柏路小学', entryId: recordId }).thenFails('record-handed-over', 'conflict');
    expect(refused.message).toContain('郑州市中原区建设路小学（2141010101）');
    expect(refused.details).toMatchObject({ schoolCode: '2141010101' });
  });

  it('a record without a number (saved, under review) is not handed over', () => {
    spec.given([saved]).when(handOver).thenFails('record-status');
    spec.given([saved, submitted, passed]).when(handOver).thenFails('record-status');
  });
});

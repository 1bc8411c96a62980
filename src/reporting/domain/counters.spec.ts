import { describe, expect, it } from '@jest/globals';
import { applyToCounters, cohortOf } from './counters.js';
import { MemoryTables } from './memory-tables.js';
import { unitsOf } from './units.js';

const child = { gender: '2', birthDate: '2021-09-01', ethnicity: '03', leftBehind: '2', migrantWorkerChild: '1', disabilityType: null, orphan: '0' };
const run = (events: Array<{ type: string; data: Record<string, unknown> }>) => {
  const tables = new MemoryTables();
  for (const e of events) applyToCounters(tables, e);
  return tables;
};
const registered = { type: 'InstitutionRegistered', data: { code: '1141010001', name: '中原区第一幼儿园', type: 'kindergarten', divisionCode: '410102', ownership: 'public', licence: null, batchId: 'b' } };
const saved = (recordId: string, c = child) => ({ type: 'RecordSaved', data: { recordId, institutionCode: '1141010001', divisionCode: '410102', child: c, overAgeConfirmed: false, importRef: null, savedAt: 'x' } });
const numbered = (recordId: string) => [saved(recordId), { type: 'RecordSubmitted', data: { recordId } }, { type: 'RecordPassedDeduplication', data: { recordId } }, { type: 'RecordApproved', data: { recordId } }];

describe('summary counters', () => {
  it('age cohorts: the age on 31 August of the school year (born 1 September counts a year younger)', () => {
    expect(cohortOf('2020-08-31')).toBe(2020);
    expect(cohortOf('2020-09-01')).toBe(2021);
  });

  it('units: an institution, its county, prefecture, province and the nation, each once', () => {
    expect(unitsOf('1141010001', '410102')).toEqual(['i:1141010001', 'd:410102', 'd:410100', 'd:410000', 'd:000000']);
    expect(unitsOf(null, '410100')).toEqual(['d:410100', 'd:410000', 'd:000000']);
  });

  it('a numbered child counts in the kindergarten by every dimension; a school counts in statistics once it has a child', () => {
    const before = run([registered, saved('r1'), { type: 'RecordSubmitted', data: { recordId: 'r1' } }, { type: 'RecordPassedDeduplication', data: { recordId: 'r1' } }]).counters();
    expect(before['i:1141010001']).toEqual({ inst: 1, 'inst:own:public': 1, 'inst:type:kindergarten': 1, 'st:dedupe-passed': 1 });
    const after = run([registered, ...numbered('r1')]).counters();
    expect(after['d:410102']).toEqual({
      inst: 1, 'inst:own:public': 1, 'inst:type:kindergarten': 1, counted: 1, 'counted:type:kindergarten': 1, 'counted:own:public': 1,
      children: 1, 'g:2': 1, 'age:2022': 1, 'eth:03': 1, 'lb:2': 1, 'mig:1': 1, 'orph:0': 1, 'grade:unplaced': 1, 'st:numbered': 1,
    });
  });

  it('classes by grade, children follow their placement; a leave and its restoration move the month\'s leavers and back', () => {
    const classId = 'c1';
    const tables = run([
      registered, ...numbered('r1'),
      { type: 'ClassCreated', data: { classId, institutionCode: '1141010001', divisionCode: '410102', name: '大一班', grade: '大班', schoolYear: '2026-2027', teachers: [], createdAt: 'x' } },
      { type: 'ChildPlaced', data: { recordId: 'r1', institutionCode: '1141010001', classId, fromClassId: null, placedAt: 'x' } },
    ]);
    expect(tables.counters()['i:1141010001']).toMatchObject({ 'classes:2026:大班': 1, 'grade:大班': 1 });
    applyToCounters(tables, { type: 'RecordLeft', data: { recordId: 'r1', leaveType: 'graduated', leaveDate: '2027-07-05', leftAt: 'x' } });
    const left = tables.counters()['i:1141010001']!;
    expect(left).toMatchObject({ 'st:left': 1, 'left:2027-07:graduated': 1 });
    expect(left['children']).toBeUndefined();
    expect(left['counted']).toBeUndefined();
    applyToCounters(tables, { type: 'RecordRestored', data: { recordId: 'r1', applicationId: 'a', restoredAt: 'x' } });
    expect(tables.counters()['i:1141010001']).toMatchObject({ children: 1, counted: 1, 'st:numbered': 1, 'grade:大班': 1 });
    expect(tables.counters()['i:1141010001']!['left:2027-07:graduated']).toBeUndefined();
  });

  it('an edit moves the child between buckets; a revoked institution leaves the institution counts; unlicensed children count by division', () => {
    const tables = run([
      registered, ...numbered('r1'),
      { type: 'RecordEdited', data: { recordId: 'r1', child: { ...child, gender: '1', ethnicity: '01' }, overAgeConfirmed: false, editedAt: 'x' } },
      { type: 'InstitutionRevoked', data: { code: '1141010001', batchId: 'b' } },
      { type: 'UnlicensedInstitutionRecorded', data: { id: 'u1', divisionCode: '410102', name: '看护点', address: 'x', children: 12, staff: 2, status: 'operating', recordedAt: 'x' } },
      { type: 'UnlicensedInstitutionUpdated', data: { id: 'u1', name: '看护点', address: 'x', children: 15, staff: 2, status: 'rectifying', updatedAt: 'x' } },
    ]);
    const county = tables.counters()['d:410102']!;
    expect(county).toMatchObject({ 'g:1': 1, 'eth:01': 1, unlicensed: 1, 'unlicensed:children': 15, children: 1 });
    expect(county['g:2']).toBeUndefined();
    expect(county['inst']).toBeUndefined();
    applyToCounters(tables, { type: 'UnlicensedInstitutionUpdated', data: { id: 'u1', name: '看护点', address: 'x', children: 15, staff: 2, status: 'closed', updatedAt: 'x' } });
    expect(tables.counters()['d:410102']!['unlicensed']).toBeUndefined();
  });

  describe('a move to another kindergarten (RecordTransferred, ADR 24)', () => {
    const LT = { code: '1141020001', div: '410202' }; // 开封市龙亭区: another county and prefecture
    const EQ = { code: '1141010004', div: '410103' }; // 二七区: another county, the same prefecture
    const ZY2 = { code: '1141010002', div: '410102' }; // the same county
    const register = (to: { code: string; div: string }) => ({ ...registered, data: { ...registered.data, code: to.code, divisionCode: to.div } });
    const moved = (recordId: string, to: { code: string; div: string }, status = 'numbered', transferredAt = '2026-09-30T17:00:00.000Z') =>
      ({ type: 'RecordTransferred', data: { recordId, transferId: 't1', fromInstitutionCode: '1141010001', fromDivisionCode: '410102', toInstitutionCode: to.code, toDivisionCode: to.div, status, transferredAt } });
    const placed = (recordId: string) => [
      { type: 'ClassCreated', data: { classId: 'c1', institutionCode: '1141010001', divisionCode: '410102', name: '中一班', grade: '中班', schoolYear: '2026-2027', teachers: [], createdAt: 'x' } },
      { type: 'ChildPlaced', data: { recordId, institutionCode: '1141010001', classId: 'c1', fromClassId: null, placedAt: 'x' } },
    ];

    it('receiving first, across counties: the child leaves every unit of the old kindergarten, joins the new one\'s unplaced, and the old one counts a transfer-out in the Beijing month of the move', () => {
      const tables = run([registered, register(LT), ...numbered('r1'), ...numbered('r2'), ...placed('r1'), moved('r1', LT)]);
      // 2026-09-30T17:00Z is 1 October in Beijing
      applyToCounters(tables, { type: 'ChildUnplaced', data: { recordId: 'r1', institutionCode: '1141010001', classId: 'c1', unplacedAt: 'x' } });
      const c = tables.counters();
      expect(c['i:1141010001']).toMatchObject({ children: 1, counted: 1, 'st:numbered': 1, 'grade:unplaced': 1, 'classes:2026:中班': 1, 'left:2026-10:transfer-out': 1 });
      expect(c['i:1141010001']!['grade:中班']).toBeUndefined();
      for (const unit of ['d:410102', 'd:410100']) expect(c[unit]).toMatchObject({ children: 1, counted: 1, 'left:2026-10:transfer-out': 1 });
      expect(c['i:1141020001']).toEqual({ inst: 1, 'inst:own:public': 1, 'inst:type:kindergarten': 1, counted: 1, 'counted:type:kindergarten': 1, 'counted:own:public': 1, children: 1, 'g:2': 1, 'age:2022': 1, 'eth:03': 1, 'lb:2': 1, 'mig:1': 1, 'orph:0': 1, 'grade:unplaced': 1, 'st:numbered': 1 });
      for (const unit of ['d:410202', 'd:410200']) expect(c[unit]).toMatchObject({ children: 1, counted: 1 });
      expect(c['d:410000']).toMatchObject({ children: 2, counted: 2, 'left:2026-10:transfer-out': 1 });
      expect(tables.record('r1')).toMatchObject({ inst: LT.code, div: LT.div, status: 'numbered', classId: null, leave: null });
      expect(tables.institution('1141010001')!.children).toBe(1);
      // the last child moves too: the old kindergarten no longer counts in statistics
      applyToCounters(tables, moved('r2', LT, 'dedupe-passed'));
      expect(tables.counters()['i:1141010001']).toEqual({ inst: 1, 'inst:own:public': 1, 'inst:type:kindergarten': 1, 'classes:2026:中班': 1, 'left:2026-10:transfer-out': 2 });
      // a record still in review arrives awaiting review, not among the children
      expect(tables.counters()['i:1141020001']).toMatchObject({ children: 1, 'st:numbered': 1, 'st:dedupe-passed': 1 });
    });

    it('sending first: the transfer-out leave counted in its month stays the old kindergarten\'s, never twice; within one prefecture the prefecture\'s children come back', () => {
      const tables = run([registered, register(EQ), ...numbered('r1'), { type: 'RecordLeft', data: { recordId: 'r1', leaveType: 'transfer-out', leaveDate: '2026-08-28', leftAt: 'x' } }]);
      expect(tables.counters()['d:410100']!['children']).toBeUndefined();
      applyToCounters(tables, moved('r1', EQ, 'numbered', '2026-09-07T02:00:00.000Z'));
      const c = tables.counters();
      expect(c['i:1141010001']).toEqual({ inst: 1, 'inst:own:public': 1, 'inst:type:kindergarten': 1, 'left:2026-08:transfer-out': 1 });
      expect(c['d:410102']).toMatchObject({ 'left:2026-08:transfer-out': 1 });
      expect(c['d:410102']!['children']).toBeUndefined();
      expect(c['i:1141010004']).toMatchObject({ children: 1, counted: 1, 'st:numbered': 1 });
      expect(c['i:1141010004']!['left:2026-08:transfer-out']).toBeUndefined();
      expect(c['d:410100']).toMatchObject({ children: 1, counted: 1, 'left:2026-08:transfer-out': 1 });
      expect(Object.keys(c['d:410100']!).filter((k) => k.startsWith('left:'))).toEqual(['left:2026-08:transfer-out']);
    });

    it('within one county: the county keeps its child and its counted kindergartens, and lists the transfer-out', () => {
      const tables = run([registered, register(ZY2), ...numbered('r1'), moved('r1', ZY2, 'numbered', '2026-09-07T02:00:00.000Z')]);
      const c = tables.counters();
      expect(c['d:410102']).toMatchObject({ inst: 2, counted: 1, children: 1, 'st:numbered': 1, 'left:2026-09:transfer-out': 1 });
      expect(c['i:1141010001']!['counted']).toBeUndefined();
      expect(c['i:1141010002']).toMatchObject({ counted: 1, children: 1 });
      // a repeated or same-kindergarten move changes nothing
      applyToCounters(tables, moved('r1', ZY2, 'numbered', '2026-09-07T02:00:00.000Z'));
      expect(tables.counters()).toEqual(c);
    });
  });

  it('facts hold no personal data', () => {
    const tables = run([registered, saved('r1', { ...child, name: '王小明', idNumber: '410102202109010021', address: '建设路 1 号' } as typeof child)]);
    expect(JSON.stringify([...tables.records.values()])).not.toMatch(/王小明|410102202109010021|建设路/);
  });
});

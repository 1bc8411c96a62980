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

  it('facts hold no personal data', () => {
    const tables = run([registered, saved('r1', { ...child, name: '王小明', idNumber: '410102202109010021', address: '建设路 1 号' } as typeof child)]);
    expect(JSON.stringify([...tables.records.values()])).not.toMatch(/王小明|410102202109010021|建设路/);
  });
});

import { describe, expect, it } from '@jest/globals';
import { EventRegistry } from '../../shared/events/event-registry.js';
import { deciderSpec } from '../../shared/testing/decider-spec.js';
import { type ClassEvent, type ClassState, classDecider, initialClass } from './class.decider.js';
import { ENROLMENT_EVENTS } from './enrolment.events.js';

const spec = deciderSpec(classDecider, new EventRegistry().register(ENROLMENT_EVENTS));
const at = '2027-08-20T02:00:00.000Z';
const classId = '3c1d2e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f';
const targetId = '4d2e3f5a-6b7c-4d8e-9f0a-1b2c3d4e5f6a';
const graduationId = '8b2e1d3f-4c5a-4b6c-8d7e-9f0a1b2c3d4e';
const [A, B, C] = ['6a1f0c1e-7b2d-4c3e-9f10-a2b3c4d5e6f7', '9c3f2e4a-5d6b-4c7d-8e9f-0a1b2c3d4e5f', '7b2e1d3f-4c5a-4b6c-8d7e-9f0a1b2c3d4e'] as const;

const created = (grade: string, id = classId, name = '中一班'): ClassEvent =>
  ({ type: 'ClassCreated', data: { classId: id, institutionCode: '1141010001', divisionCode: '410102', name, grade, schoolYear: '2026-2027', teachers: ['李老师'], createdAt: at } }) as ClassEvent;
const joined = (ids: string[], id = classId): ClassEvent => ({ type: 'ChildrenJoinedClass', data: { classId: id, recordIds: ids, how: 'assigned', joinedAt: at } });
const marked = (recordId: string, mark: '留班' | '留园', id = classId): ClassEvent => ({ type: 'ChildMarked', data: { classId: id, recordId, mark, markedAt: at } });
const stateOf = (events: ClassEvent[]): ClassState => events.reduce(classDecider.evolve, initialClass);

describe('class decider', () => {
  it('creates a class with valid fields and refuses a malformed school year', () => {
    spec.given([]).when({ type: 'CreateClass', classId, institutionCode: '1141010001', divisionCode: '410102', name: ' 中一班 ', grade: '中班', schoolYear: '2026-2027', teachers: ['李老师'], at }).then([created('中班')]);
    spec.given([]).when({ type: 'CreateClass', classId, institutionCode: '1141010001', divisionCode: '410102', name: '中一班', grade: '中班', schoolYear: '2026-2028', teachers: [], at }).thenFails('validation-failed');
  });

  it('a class with children cannot be deleted (the refusal counts them); an empty one can, once', () => {
    const error = spec.given([created('中班'), joined([A, B])]).when({ type: 'DeleteClass', at }).thenFails('class-not-empty', 'rule');
    expect(error.message).toContain('还有 2 名幼儿');
    spec.given([created('中班')]).when({ type: 'DeleteClass', at }).then([{ type: 'ClassDeleted', data: { classId, deletedAt: at } }]);
    spec.given([created('中班'), { type: 'ClassDeleted', data: { classId, deletedAt: at } }]).when({ type: 'RenameClass', name: '中二班', at }).thenFails('class-not-found');
  });

  it('joining and leaving are idempotent: a child already there (or gone) changes nothing', () => {
    spec.given([created('中班'), joined([A])]).when({ type: 'JoinClass', recordIds: [A], how: 'assigned', at }).then([]);
    spec.given([created('中班')]).when({ type: 'LeaveClass', recordIds: [A], how: 'left', at }).then([]);
  });

  it('留园 only in a graduating grade', () => {
    spec.given([created('中班'), joined([A])]).when({ type: 'MarkChild', recordId: A, mark: '留园', at }).thenFails('mark-stay-not-graduating');
    spec.given([created('大班'), joined([A])]).when({ type: 'MarkChild', recordId: A, mark: '留园', at }).then([marked(A, '留园')]);
  });

  it('promotion: into the next grade only, refused while the target holds children not kept back, naming it', () => {
    const target = stateOf([created('大班', targetId, '大一班'), joined([C], targetId)]);
    const error = spec.given([created('中班'), joined([A, B])]).when({ type: 'PromoteInto', target, at }).thenFails('promotion-target-occupied');
    expect(error.message).toBe('大一班还有 1 名幼儿未标记留班/留园：请先将大一班升级或办理毕业离园');
    const wrongGrade = stateOf([created('中班', targetId, '中二班')]);
    spec.given([created('小班'), joined([A])]).when({ type: 'PromoteInto', target: stateOf([created('大班', targetId)]), at }).thenFails('promotion-target-grade');
    spec.given([created('大班'), joined([A])]).when({ type: 'PromoteInto', target: wrongGrade, at }).thenFails('promotion-grade');
  });

  it('promotion: kept-back children stay, and every mark involved is used up', () => {
    const target = stateOf([created('大班', targetId, '大一班'), joined([C], targetId), marked(C, '留园', targetId)]);
    const after = spec.given([created('中班'), joined([A, B]), marked(B, '留班')]).when({ type: 'PromoteInto', target, at })
      .then([{ type: 'ClassPromoted', data: { classId, targetClassId: targetId, promoted: [A], stayed: [B], consumedMarks: [C], promotedAt: at } }]);
    expect(after.members).toEqual({ [B]: null });
    const received = classDecider.evolve(target, { type: 'ChildrenJoinedClass', data: { classId: targetId, recordIds: [A], how: 'promoted', joinedAt: at } });
    expect(received.members).toEqual({ [C]: null, [A]: null });
  });

  it('graduation: whole class of 大班/混龄班 only; 留园 children stay; repeated with the same id changes nothing', () => {
    spec.given([created('小班'), joined([A])]).when({ type: 'GraduateClass', graduationId, leaveDate: '2027-07-05', at }).thenFails('graduation-grade');
    const decided: ClassEvent = { type: 'ClassGraduationDecided', data: { classId, graduationId, recordIds: [A], stayed: [B], leaveDate: '2027-07-05', decidedAt: at } };
    spec.given([created('混龄班'), joined([A, B]), marked(B, '留园')]).when({ type: 'GraduateClass', graduationId, leaveDate: '2027-07-05', at }).then([decided]);
    spec.given([created('大班'), joined([A, B]), decided]).when({ type: 'GraduateClass', graduationId, leaveDate: '2027-07-05', at }).then([]);
    spec.given([created('大班'), joined([A, B]), decided]).when({ type: 'JoinClass', recordIds: [C], how: 'assigned', at }).thenFails('class-graduating');
    spec.given([created('大班'), joined([A, B]), decided]).when({ type: 'CompleteGraduation', graduationId, recordIds: [A], at }).then([
      { type: 'ChildrenLeftClass', data: { classId, recordIds: [A], how: 'left', leftAt: at } },
      { type: 'ClassGraduationCompleted', data: { classId, graduationId, completedAt: at } },
    ]);
    spec.given([created('大班'), joined([A]), decided, { type: 'ClassGraduationCompleted', data: { classId, graduationId, completedAt: at } }]).when({ type: 'CompleteGraduation', graduationId, recordIds: [A], at }).then([]);
  });
});

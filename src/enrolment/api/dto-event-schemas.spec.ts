import 'reflect-metadata';
import { describe, it } from '@jest/globals';
import { DomainError } from '../../shared/domain/domain-error.js';
import { bodyDtoOf, dtoSchemaSpec } from '../../shared/testing/dto-schema-spec.js';
import { type ClassCommand, type ClassEvent, type ClassState, classDecider, initialClass } from '../domain/class.decider.js';
import { initialRestoration, restorationDecider } from '../domain/restoration.decider.js';
import { ClassesController } from './classes.controller.js';
import type { CreateClassDto, EditClassDto, GraduateDto, LeaveDto, MarkDto, PlaceChildrenDto, PromoteDto, RestorationDto } from './enrolment.dto.js';
import { LeavesController, RestorationsController } from './leaves.controller.js';

type Json = Record<string, unknown>;
const at = '2027-07-05T02:00:00.000Z';
const classId = '3c1d2e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f';
const recordId = '6a1f0c1e-7b2d-4c3e-9f10-a2b3c4d5e6f7';
const other = '9c3f2e4a-5d6b-4c7d-8e9f-0a1b2c3d4e5f';

/** What the decider stores for a command the DTO let through; null where the domain refuses it (a 400/422) or changes nothing. */
function stored<S, C, E extends { data: object }>(decide: (c: C, s: S) => E[], command: C, state: S): Json | null {
  try {
    const events = decide(command, state);
    return events.length > 0 ? (events[0]!.data as Json) : null;
  } catch (error) {
    if (error instanceof DomainError) return null;
    throw error;
  }
}

const fold = (events: ClassEvent[]): ClassState => events.reduce((s, e) => classDecider.evolve(s, e), initialClass);
const created: ClassEvent = { type: 'ClassCreated', data: { classId, institutionCode: '1141010001', divisionCode: '410102', name: '大一班', grade: '大班', schoolYear: '2026-2027', teachers: ['李老师'], createdAt: at } };
const withChildren = fold([created, { type: 'ChildrenJoinedClass', data: { classId, recordIds: [recordId, other], how: 'assigned', joinedAt: at } }]);
const decideClass = (command: ClassCommand, state: ClassState) => stored(classDecider.decide.bind(classDecider), command, state);

/** Each write DTO of the enrolment context accepts nothing its event's schema refuses (issue 20, item 8). */
describe('enrolment DTOs against their event schemas', () => {
  it('POST /classes -> ClassCreated', async () => {
    await dtoSchemaSpec<CreateClassDto>({
      dto: bodyDtoOf(ClassesController, 'create') as new () => CreateClassDto,
      schema: 'enrolment/ClassCreated',
      valid: { name: '大一班', grade: '大班', schoolYear: '2026-2027', teachers: ['李老师'] },
      toEvent: (body) => decideClass({ type: 'CreateClass', classId, institutionCode: '1141010001', divisionCode: '410102', name: body.name, grade: body.grade, schoolYear: body.schoolYear, teachers: body.teachers, at }, initialClass),
    });
  });

  it('PATCH /classes/{id} -> ClassRenamed and ClassTeachersChanged', async () => {
    const dto = bodyDtoOf(ClassesController, 'edit') as new () => EditClassDto;
    const state = fold([created]);
    await dtoSchemaSpec<EditClassDto>({
      dto, schema: 'enrolment/ClassRenamed', valid: { name: '大二班' },
      toEvent: (body) => (body.name === undefined ? null : decideClass({ type: 'RenameClass', name: body.name, at }, state)),
    });
    await dtoSchemaSpec<EditClassDto>({
      dto, schema: 'enrolment/ClassTeachersChanged', valid: { teachers: ['李老师', '王老师'] },
      toEvent: (body) => (body.teachers === undefined ? null : decideClass({ type: 'ChangeTeachers', teachers: body.teachers, at }, state)),
    });
  });

  it('PUT /classes/{id}/children/{recordId}/mark -> ChildMarked', async () => {
    await dtoSchemaSpec<MarkDto>({
      dto: bodyDtoOf(ClassesController, 'mark') as new () => MarkDto,
      schema: 'enrolment/ChildMarked',
      valid: { mark: '留园' },
      toEvent: (body) => decideClass({ type: 'MarkChild', recordId, mark: body.mark ?? null, at }, withChildren),
    });
  });

  it('POST /classes/{id}/children and /class-change -> ChildrenJoinedClass', async () => {
    for (const method of ['assign', 'change'] as const) {
      await dtoSchemaSpec<PlaceChildrenDto>({
        dto: bodyDtoOf(ClassesController, method) as new () => PlaceChildrenDto,
        schema: 'enrolment/ChildrenJoinedClass',
        valid: { recordIds: [recordId] },
        // each child is placed on its own placement stream, then joins the class
        toEvent: (body) => decideClass({ type: 'JoinClass', recordIds: body.recordIds, how: method === 'assign' ? 'assigned' : 'changed', at }, fold([created])),
      });
    }
  });

  it('POST /classes/{id}/promote -> ClassPromoted', async () => {
    const target = fold([{ ...created, data: { ...created.data, name: '大二班' } }]);
    const middle = fold([{ ...created, data: { ...created.data, name: '中一班', grade: '中班' } }, { type: 'ChildrenJoinedClass', data: { classId, recordIds: [recordId], how: 'assigned', joinedAt: at } }]);
    await dtoSchemaSpec<PromoteDto>({
      dto: bodyDtoOf(ClassesController, 'promote') as new () => PromoteDto,
      schema: 'enrolment/ClassPromoted',
      valid: { targetClassId: other },
      toEvent: (body) => decideClass({ type: 'PromoteInto', target: { ...target, classId: body.targetClassId }, at }, middle),
    });
  });

  it('POST /classes/{id}/graduate -> ClassGraduationDecided', async () => {
    await dtoSchemaSpec<GraduateDto>({
      dto: bodyDtoOf(ClassesController, 'graduate') as new () => GraduateDto,
      schema: 'enrolment/ClassGraduationDecided',
      valid: { leaveDate: '2027-07-05' },
      toEvent: (body) => decideClass({ type: 'GraduateClass', graduationId: '8b2e1d3f-4c5a-4b6c-8d7e-9f0a1b2c3d4e', leaveDate: body.leaveDate, at }, withChildren),
    });
  });

  it('POST /records/{recordId}/leave -> RecordLeft (records’ schema; the reason goes to the metadata)', async () => {
    await dtoSchemaSpec<LeaveDto>({
      dto: bodyDtoOf(LeavesController, 'leave') as new () => LeaveDto,
      schema: 'records/RecordLeft',
      valid: { leaveType: 'transfer-out', leaveDate: '2027-03-01', reason: '随父母迁往外省' },
      toEvent: (body) => ({ recordId, leaveType: body.leaveType, leaveDate: body.leaveDate, leftAt: at }),
    });
  });

  it('POST /restorations -> RestorationApplied', async () => {
    await dtoSchemaSpec<RestorationDto>({
      dto: bodyDtoOf(RestorationsController, 'apply') as new () => RestorationDto,
      schema: 'enrolment/RestorationApplied',
      valid: { category: 'graduated', recordIds: [recordId], reason: '误将未满龄幼儿随班毕业' },
      toEvent: (body) =>
        stored(restorationDecider.decide.bind(restorationDecider), { type: 'ApplyForRestoration', applicationId: '8b2e1d3f-4c5a-4b6c-8d7e-9f0a1b2c3d4e', institutionCode: '1141010001', divisionCode: '410102', category: body.category, recordIds: body.recordIds, reason: body.reason, at }, initialRestoration),
    });
  });
});

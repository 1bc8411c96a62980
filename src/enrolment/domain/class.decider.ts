import type { Decider, DomainEvent } from '../../shared/domain/decider.js';
import { DomainError, conflict, invalid, notFound, rule } from '../../shared/domain/domain-error.js';

/**
 * A class (班级, domain.md section 6) and who is in it. The class stream is the truth of its
 * members and their marks; each child's placement stream (placement.decider.ts) reserves the
 * child for one class. Both are written together, with expected revisions (ADR 0018).
 *
 * Marks: 留班 (kept back at promotion) and 留园 (stays at graduation). A mark is consumed by the
 * next promotion of its class, as source (the child stayed) or as target (the class received the
 * promoted children): it never silently applies to a second promotion.
 */
export const GRADES = ['托班', '小班', '中班', '大班', '混龄班'] as const;
export type Grade = (typeof GRADES)[number];
export const MARKS = ['留班', '留园'] as const;
export type Mark = (typeof MARKS)[number];
export type JoinHow = 'assigned' | 'changed' | 'promoted' | 'restored';
export type LeaveHow = 'changed' | 'promoted' | 'left';

/** the grade a class's children are promoted into */
export const NEXT_GRADE: Partial<Record<Grade, Grade>> = { 托班: '小班', 小班: '中班', 中班: '大班' };
export const GRADUATING_GRADES: readonly Grade[] = ['大班', '混龄班'];

export type ClassEvent =
  | DomainEvent<'ClassCreated', { classId: string; institutionCode: string; divisionCode: string; name: string; grade: Grade; schoolYear: string; teachers: string[]; createdAt: string }>
  | DomainEvent<'ClassRenamed', { classId: string; name: string; renamedAt: string }>
  | DomainEvent<'ClassTeachersChanged', { classId: string; teachers: string[]; changedAt: string }>
  | DomainEvent<'ClassDeleted', { classId: string; deletedAt: string }>
  | DomainEvent<'ChildrenJoinedClass', { classId: string; recordIds: string[]; how: JoinHow; joinedAt: string }>
  | DomainEvent<'ChildrenLeftClass', { classId: string; recordIds: string[]; how: LeaveHow; leftAt: string }>
  | DomainEvent<'ChildMarked', { classId: string; recordId: string; mark: Mark | null; markedAt: string }>
  /** on the source class; `consumedMarks`: the target's kept-back children, whose marks this promotion used up */
  | DomainEvent<'ClassPromoted', { classId: string; targetClassId: string; promoted: string[]; stayed: string[]; consumedMarks: string[]; promotedAt: string }>
  | DomainEvent<'ClassGraduationDecided', { classId: string; graduationId: string; recordIds: string[]; stayed: string[]; leaveDate: string; decidedAt: string }>
  | DomainEvent<'ClassGraduationCompleted', { classId: string; graduationId: string; completedAt: string }>;

export type ClassCommand =
  | { type: 'CreateClass'; classId: string; institutionCode: string; divisionCode: string; name: string; grade: Grade; schoolYear: string; teachers: string[]; at: string }
  | { type: 'RenameClass'; name: string; at: string }
  | { type: 'ChangeTeachers'; teachers: string[]; at: string }
  | { type: 'DeleteClass'; at: string }
  | { type: 'JoinClass'; recordIds: string[]; how: JoinHow; at: string }
  /** idempotent: children no longer in the class are skipped */
  | { type: 'LeaveClass'; recordIds: string[]; how: LeaveHow; at: string }
  | { type: 'MarkChild'; recordId: string; mark: Mark | null; at: string }
  | { type: 'PromoteInto'; target: ClassState; at: string }
  | { type: 'GraduateClass'; graduationId: string; leaveDate: string; at: string }
  /** the graduates leave the class (those still in it) and the graduation is complete */
  | { type: 'CompleteGraduation'; graduationId: string; recordIds: string[]; at: string };

export interface ClassState {
  status: 'none' | 'active' | 'deleted';
  classId: string;
  institutionCode: string;
  divisionCode: string;
  name: string;
  grade: Grade;
  schoolYear: string;
  teachers: string[];
  /** member record id -> its mark */
  members: Record<string, Mark | null>;
  /** a whole-class graduation decided and not yet completed */
  graduating: string | null;
}

export const initialClass: ClassState = { status: 'none', classId: '', institutionCode: '', divisionCode: '', name: '', grade: '小班', schoolYear: '', teachers: [], members: {}, graduating: null };

const SCHOOL_YEAR = /^(\d{4})-(\d{4})$/;

export function checkClassFields(fields: { name?: string; schoolYear?: string; teachers?: string[] }): void {
  const errors = [];
  if (fields.name !== undefined && (fields.name.trim().length === 0 || fields.name.length > 30)) errors.push({ field: 'name', code: 'invalid-name', message: '班级名称应为 1-30 个字' });
  const year = fields.schoolYear === undefined ? null : SCHOOL_YEAR.exec(fields.schoolYear);
  if (fields.schoolYear !== undefined && (!year || Number(year[2]) !== Number(year[1]) + 1)) errors.push({ field: 'schoolYear', code: 'invalid-school-year', message: '学年应写作“2026-2027”' });
  if (fields.teachers?.some((t) => t.trim().length === 0 || t.length > 30)) errors.push({ field: 'teachers', code: 'invalid-teacher', message: '教师姓名应为 1-30 个字' });
  if (errors.length > 0) throw invalid(errors, '班级信息有误，请按提示修改');
}

const kept = (s: ClassState): string[] => Object.keys(s.members).filter((id) => s.members[id] !== null);
const notKept = (s: ClassState): string[] => Object.keys(s.members).filter((id) => s.members[id] === null);

function expectActive(state: ClassState): void {
  if (state.status !== 'active') throw notFound('class-not-found', '班级不存在或已删除，请刷新班级列表后重新选择');
}

function expectNotGraduating(state: ClassState): void {
  if (state.graduating) throw conflict('class-graduating', `${state.name}的毕业离园正在办理中，请稍后再试`);
}

export const classDecider: Decider<ClassCommand, ClassState, ClassEvent> = {
  initialState: initialClass,

  decide(command, state) {
    const classId = state.classId;
    switch (command.type) {
      case 'CreateClass': {
        if (state.status !== 'none') throw conflict('class-exists', '该班级已存在');
        checkClassFields(command);
        const { type: _t, at, ...fields } = command;
        return [{ type: 'ClassCreated', data: { ...fields, name: fields.name.trim(), createdAt: at } }];
      }
      case 'RenameClass':
        expectActive(state);
        checkClassFields({ name: command.name });
        if (command.name.trim() === state.name) return [];
        return [{ type: 'ClassRenamed', data: { classId, name: command.name.trim(), renamedAt: command.at } }];
      case 'ChangeTeachers':
        expectActive(state);
        checkClassFields({ teachers: command.teachers });
        if (JSON.stringify(command.teachers) === JSON.stringify(state.teachers)) return [];
        return [{ type: 'ClassTeachersChanged', data: { classId, teachers: command.teachers, changedAt: command.at } }];
      case 'DeleteClass': {
        expectActive(state);
        const count = Object.keys(state.members).length;
        if (count > 0) throw rule('class-not-empty', `${state.name}还有 ${count} 名幼儿，不能删除：请先将幼儿调到其他班级或办理离园`, { children: count });
        return [{ type: 'ClassDeleted', data: { classId, deletedAt: command.at } }];
      }
      case 'JoinClass': {
        expectActive(state);
        expectNotGraduating(state);
        const joining = command.recordIds.filter((id) => !(id in state.members));
        return joining.length === 0 ? [] : [{ type: 'ChildrenJoinedClass', data: { classId, recordIds: joining, how: command.how, joinedAt: command.at } }];
      }
      case 'LeaveClass': {
        const leaving = command.recordIds.filter((id) => id in state.members);
        return leaving.length === 0 ? [] : [{ type: 'ChildrenLeftClass', data: { classId, recordIds: leaving, how: command.how, leftAt: command.at } }];
      }
      case 'MarkChild': {
        expectActive(state);
        if (!(command.recordId in state.members)) throw notFound('child-not-in-class', `该幼儿不在${state.name}：请刷新花名册，确认幼儿所在班级后再标记`);
        if (command.mark === '留园' && !GRADUATING_GRADES.includes(state.grade)) throw rule('mark-stay-not-graduating', '只有大班和混龄班的幼儿可以标记“留园”；其他班级请标记“留班”');
        if (state.members[command.recordId] === command.mark) return [];
        return [{ type: 'ChildMarked', data: { classId, recordId: command.recordId, mark: command.mark, markedAt: command.at } }];
      }
      case 'PromoteInto': {
        expectActive(state);
        expectNotGraduating(state);
        const target = command.target;
        if (target.status !== 'active') throw notFound('class-not-found', '目标班级不存在或已删除，请重新选择目标班级');
        if (target.classId === classId) throw rule('promotion-same-class', '不能升级到本班，请选择下一年级的班级');
        const next = NEXT_GRADE[state.grade];
        if (!next) throw rule('promotion-grade', `${state.name}是${state.grade}，不能升级：大班和混龄班请办理毕业离园`);
        if (target.grade !== next) throw rule('promotion-target-grade', `${state.grade}应升入${next}，${target.name}是${target.grade}：请选择一个${next}作为目标班级`);
        const blocking = notKept(target).length;
        if (blocking > 0) {
          throw new DomainError('rule', 'promotion-target-occupied', `${target.name}还有 ${blocking} 名幼儿未标记留班/留园：请先将${target.name}升级或办理毕业离园`, [], { targetClassId: target.classId, blocking });
        }
        const promoted = notKept(state);
        if (promoted.length === 0) throw rule('promotion-nobody', `${state.name}没有可升级的幼儿（均已标记留班或班级为空）：无需升级；如有幼儿应升级，请先取消其留班标记`);
        return [{ type: 'ClassPromoted', data: { classId, targetClassId: target.classId, promoted, stayed: kept(state), consumedMarks: kept(target), promotedAt: command.at } }];
      }
      case 'GraduateClass': {
        expectActive(state);
        if (state.graduating === command.graduationId) return [];
        expectNotGraduating(state);
        if (!GRADUATING_GRADES.includes(state.grade)) throw rule('graduation-grade', `${state.name}是${state.grade}：只有大班和混龄班可以整班毕业离园；个别幼儿请办理“毕业”类型的离园`);
        const graduates = Object.keys(state.members).filter((id) => state.members[id] !== '留园');
        if (graduates.length === 0) throw rule('graduation-nobody', `${state.name}没有可毕业的幼儿（均已标记留园或班级为空）：无需办理；如有幼儿应毕业，请先取消其留园标记`);
        if (!/^\d{4}-\d{2}-\d{2}$/.test(command.leaveDate)) throw invalid([{ field: 'leaveDate', code: 'invalid-date', message: '离园日期应为 YYYY-MM-DD' }], '请按 YYYY-MM-DD 填写离园日期');
        const stayed = Object.keys(state.members).filter((id) => state.members[id] === '留园');
        return [{ type: 'ClassGraduationDecided', data: { classId, graduationId: command.graduationId, recordIds: graduates, stayed, leaveDate: command.leaveDate, decidedAt: command.at } }];
      }
      case 'CompleteGraduation': {
        if (state.graduating !== command.graduationId) return [];
        const leaving = command.recordIds.filter((id) => id in state.members);
        const completed: ClassEvent = { type: 'ClassGraduationCompleted', data: { classId, graduationId: command.graduationId, completedAt: command.at } };
        return leaving.length === 0 ? [completed] : [{ type: 'ChildrenLeftClass', data: { classId, recordIds: leaving, how: 'left', leftAt: command.at } }, completed];
      }
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'ClassCreated': {
        const { classId, institutionCode, divisionCode, name, grade, schoolYear, teachers } = event.data;
        return { ...initialClass, status: 'active', classId, institutionCode, divisionCode, name, grade, schoolYear, teachers };
      }
      case 'ClassRenamed':
        return { ...state, name: event.data.name };
      case 'ClassTeachersChanged':
        return { ...state, teachers: event.data.teachers };
      case 'ClassDeleted':
        return { ...state, status: 'deleted' };
      case 'ChildrenJoinedClass': {
        // receiving a promotion uses up the marks of the kept-back children already there
        const members: Record<string, Mark | null> = event.data.how === 'promoted' ? Object.fromEntries(Object.keys(state.members).map((id) => [id, null])) : { ...state.members };
        for (const id of event.data.recordIds) members[id] = null;
        return { ...state, members };
      }
      case 'ChildrenLeftClass': {
        const members = { ...state.members };
        for (const id of event.data.recordIds) delete members[id];
        return { ...state, members };
      }
      case 'ChildMarked':
        return { ...state, members: { ...state.members, [event.data.recordId]: event.data.mark } };
      case 'ClassPromoted': {
        // the promoted leave (the target's ChildrenJoinedClass takes them in); the stayers' marks are used up
        const members: Record<string, Mark | null> = {};
        for (const id of event.data.stayed) members[id] = null;
        return { ...state, members };
      }
      case 'ClassGraduationDecided':
        return { ...state, graduating: event.data.graduationId };
      case 'ClassGraduationCompleted':
        return { ...state, graduating: null };
      default:
        return state;
    }
  },
};

export const classStream = (classId: string): string => `class-${classId}`;

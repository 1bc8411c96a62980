// The demo's classes (issue 14): one kindergarten (1141010004, 二七区) with a class of every grade and children in
// each, entered, approved and placed through the service's own commands, so a new user can try
// promotion (top-down: 大一班 graduates, then 中一班 -> 大一班, 小一班 -> 中一班, 托一班 -> 小一班) at once.
import type { INestApplicationContext } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Principal } from '../accounts/contracts/index.js';
import { CreateClass } from '../enrolment/application/classes/class.handlers.js';
import { PlaceChildren } from '../enrolment/application/placements/placement.handlers.js';
import type { Grade } from '../enrolment/domain/class.decider.js';
import { SaveRecord, SubmitRecords } from '../records/application/entry/record-entry.handlers.js';
import { ReviewRecord } from '../records/application/review/record-review.handlers.js';
import { EXAMPLE_CHILD } from '../records/domain/record.events.js';
import type { CommandContext } from '../shared/command/command-path.js';
import { residentIdNumber } from './province-model.js';

export const DEMO_CLASS_INSTITUTION = '1141010004';
const SCHOOL_YEAR = '2026-2027';
const CLASSES: Array<{ name: string; grade: Grade; born: string; teachers: string[] }> = [
  { name: '托一班', grade: '托班', born: '2023-10', teachers: ['周老师'] },
  { name: '小一班', grade: '小班', born: '2022-10', teachers: ['吴老师'] },
  { name: '中一班', grade: '中班', born: '2021-10', teachers: ['郑老师', '王老师'] },
  { name: '大一班', grade: '大班', born: '2020-10', teachers: ['冯老师'] },
  { name: '混龄一班', grade: '混龄班', born: '2021-03', teachers: ['陈老师'] },
];
const PER_CLASS = 6;
const GIVEN = ['子涵', '欣怡', '梓萱', '浩然', '宇轩', '雨桐', '一诺', '俊熙', '诗涵', '思远'];
const FAMILY = ['王', '李', '张', '刘', '陈', '杨'];

export async function loadDemoClasses(app: INestApplicationContext, business: Principal, review: Principal, context: CommandContext): Promise<number> {
  const bus = app.get(CommandBus);
  let sequence = 11;
  for (const [c, cls] of CLASSES.entries()) {
    const ids: string[] = [];
    for (let i = 0; i < PER_CLASS; i++) {
      const birthDate = `${cls.born}-${String(1 + i * 4).padStart(2, '0')}`;
      const idNumber = residentIdNumber('410103', birthDate, sequence++);
      const name = `${FAMILY[(c + i) % FAMILY.length]}${GIVEN[(c * PER_CLASS + i) % GIVEN.length]}`;
      const child = { ...EXAMPLE_CHILD, name, birthDate, idNumber, gender: Number(idNumber[16]) % 2 === 1 ? '1' : '2' };
      ids.push((await bus.execute(new SaveRecord(business, child, true, context))).state.recordId);
    }
    await bus.execute(new SubmitRecords(business, { recordIds: ids }, context));
    for (const id of ids) await bus.execute(new ReviewRecord(review, id, { approve: true }, context));
    const created = await bus.execute(new CreateClass(business, { name: cls.name, grade: cls.grade, schoolYear: SCHOOL_YEAR, teachers: cls.teachers }, context));
    await bus.execute(new PlaceChildren(business, created.state.classId, ids, false, context));
  }
  return CLASSES.length * PER_CLASS;
}

import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { Principal } from '../../../accounts/contracts/index.js';
import { type CommandContext, type CommandOutcome, CommandPath } from '../../../shared/command/command-path.js';
import { CLOCK, type Clock, isoNow } from '../../../shared/time/clock.js';
import { type ClassCommand, type ClassState, type Grade, type Mark, classDecider, classStream } from '../../domain/class.decider.js';
import { requireOwnClass, requireRegistrar } from '../class-access.js';

type ClassOutcome = CommandOutcome<ClassState>;

export interface ClassFields {
  name: string;
  grade: Grade;
  schoolYear: string;
  teachers: string[];
}

export class CreateClass extends Command<ClassOutcome> {
  constructor(readonly principal: Principal, readonly fields: ClassFields, readonly context: CommandContext) {
    super();
  }
}

/** A change of a class by its institution's business account: rename, teachers, delete, a child's mark. */
export type ClassChange =
  | { type: 'edit'; name?: string; teachers?: string[] }
  | { type: 'delete' }
  | { type: 'mark'; recordId: string; mark: Mark | null };

export class ChangeClass extends Command<ClassOutcome> {
  constructor(readonly principal: Principal, readonly classId: string, readonly change: ClassChange, readonly context: CommandContext) {
    super();
  }
}

@CommandHandler(CreateClass)
export class CreateClassHandler implements ICommandHandler<CreateClass> {
  constructor(private readonly commands: CommandPath, @Inject(CLOCK) private readonly clock: Clock) {}

  execute({ principal, fields, context }: CreateClass): Promise<ClassOutcome> {
    const institutionCode = requireRegistrar(principal, '班级设置');
    const classId = randomUUID();
    const command: ClassCommand = { type: 'CreateClass', classId, institutionCode, divisionCode: principal.divisionCode, ...fields, at: isoNow(this.clock) };
    return this.commands.start({ streamId: classStream(classId), decider: classDecider, command, context });
  }
}

@CommandHandler(ChangeClass)
export class ChangeClassHandler implements ICommandHandler<ChangeClass> {
  constructor(private readonly commands: CommandPath, @Inject(CLOCK) private readonly clock: Clock) {}

  async execute({ principal, classId, change, context }: ChangeClass): Promise<ClassOutcome> {
    requireRegistrar(principal, change.type === 'mark' ? '标记留班/留园' : '班级设置');
    const at = isoNow(this.clock);
    const run = (command: ClassCommand, ctx: CommandContext) =>
      this.commands.run({ streamId: classStream(classId), decider: classDecider, command, context: ctx, authorise: (state) => requireOwnClass(principal, state) });
    switch (change.type) {
      case 'delete':
        return run({ type: 'DeleteClass', at }, context);
      case 'mark':
        return run({ type: 'MarkChild', recordId: change.recordId, mark: change.mark, at }, context);
      case 'edit': {
        // both or the one given; the pinned revision (If-Match) holds for the first
        let outcome = change.name !== undefined ? await run({ type: 'RenameClass', name: change.name, at }, context) : null;
        const unpinned = outcome ? { ...context, expectedRevision: undefined } : context;
        if (change.teachers !== undefined) outcome = await run({ type: 'ChangeTeachers', teachers: change.teachers, at }, unpinned);
        return outcome ?? run({ type: 'RenameClass', name: '', at }, context);
      }
    }
  }
}

export const CLASS_HANDLERS = [CreateClassHandler, ChangeClassHandler];

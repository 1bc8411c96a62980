import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { Principal } from '../../../accounts/contracts/index.js';
import { type LeaveType, RecordRegister } from '../../../records/contracts/index.js';
import { type CommandContext, type CommandOutcome, CommandPath } from '../../../shared/command/command-path.js';
import { WritePlan } from '../../../shared/command/write-plan.js';
import { CLOCK, type Clock, isoNow } from '../../../shared/time/clock.js';
import { type ClassState, classDecider, classStream } from '../../domain/class.decider.js';
import { requireOwnClass, requireRegistrar } from '../class-access.js';
import { Lifecycle } from '../lifecycle.js';

export type Leave =
  | { type: 'normal'; leaveType: LeaveType; leaveDate: string; reason: string }
  | { type: 'accident'; accidentDate: string; proof: Buffer[]; reason: string };

/** 离园 of one child by its kindergarten's business account; it gives its class place up at once. */
export class LeaveKindergarten extends Command<CommandOutcome<unknown>> {
  constructor(readonly principal: Principal, readonly recordId: string, readonly leave: Leave, readonly context: CommandContext) {
    super();
  }
}

@CommandHandler(LeaveKindergarten)
export class LeaveKindergartenHandler implements ICommandHandler<LeaveKindergarten> {
  constructor(private readonly register: RecordRegister, private readonly lifecycle: Lifecycle) {}

  async execute({ principal, recordId, leave, context }: LeaveKindergarten): Promise<CommandOutcome<unknown>> {
    const institutionCode = requireRegistrar(principal, '离园');
    const outcome = leave.type === 'normal'
      ? await this.register.leave(recordId, { institutionCode }, leave, context)
      : await this.register.cancelAfterAccident(recordId, { institutionCode }, leave, context);
    // the enrolment reactor does the same from the log, should this process stop here
    await this.lifecycle.release(recordId, { ...context, expectedRevision: undefined });
    return outcome;
  }
}

export interface GraduationOutcome extends CommandOutcome<ClassState> {
  graduationId: string;
  graduated: number;
  stayed: number;
}

/**
 * 毕业离园 of a whole 大班 or 混龄班: the decision (who graduates, who stays 留园) is stored on the
 * class first, refused or not as a whole; the graduation of each child follows from it, here and,
 * after a crash, by the enrolment reactor, until the class holds only its 留园 children.
 */
export class GraduateClass extends Command<GraduationOutcome> {
  constructor(readonly principal: Principal, readonly classId: string, readonly leaveDate: string, readonly context: CommandContext) {
    super();
  }
}

@CommandHandler(GraduateClass)
export class GraduateClassHandler implements ICommandHandler<GraduateClass> {
  constructor(private readonly commands: CommandPath, private readonly lifecycle: Lifecycle, @Inject(CLOCK) private readonly clock: Clock) {}

  async execute({ principal, classId, leaveDate, context }: GraduateClass): Promise<GraduationOutcome> {
    requireRegistrar(principal, '毕业离园');
    const graduationId = randomUUID();
    if (this.commands.atomicMultiStream) return this.inOneWrite(principal, classId, graduationId, leaveDate, context);
    // stream by stream (KurrentDB): the decision first, the intent the reactor completes should this process stop
    const decided = await this.commands.run({
      streamId: classStream(classId), decider: classDecider, command: { type: 'GraduateClass', graduationId, leaveDate, at: isoNow(this.clock) }, context,
      authorise: (state) => requireOwnClass(principal, state),
    });
    const data = decided.events[0]!.data as { recordIds: string[]; stayed: string[] };
    await this.lifecycle.completeGraduation(classId, graduationId, { ...context, expectedRevision: undefined });
    const done = await this.commands.load(classStream(classId), classDecider);
    return { ...decided, state: done.state, revision: done.revision, position: done.position, graduationId, graduated: data.recordIds.length, stayed: data.stayed.length };
  }

  /**
   * The decision, every graduate's leave, the class's completion and the placements given up in
   * one write (ADR 0030): a crash leaves all of it or none. A concurrent change to the class, a
   * child's record or placement makes the whole graduation be decided again on fresh states.
   */
  private inOneWrite(principal: Principal, classId: string, graduationId: string, leaveDate: string, context: CommandContext): Promise<GraduationOutcome> {
    return this.commands.runAll(async () => {
      const plan = new WritePlan(this.commands);
      const decided = await plan.decide({
        streamId: classStream(classId), decider: classDecider, command: { type: 'GraduateClass', graduationId, leaveDate, at: isoNow(this.clock) }, context,
        authorise: (state) => requireOwnClass(principal, state),
      });
      const decision = decided.events[0]!;
      const data = decision.data as { recordIds: string[]; stayed: string[] };
      const { institutionCode } = decided.state;
      // what follows from the decision names it as its cause, as the reactor's completion would
      const caused = { ...context, expectedRevision: undefined, causationId: decision.metadata.eventId };
      await this.lifecycle.planGraduation(plan, classId, { graduationId, recordIds: data.recordIds, leaveDate }, { institutionCode }, caused);
      return {
        prepared: plan.prepared,
        result: (outcomes) => {
          const cls = outcomes.find((o) => o.streamId === classStream(classId))! as CommandOutcome<ClassState>;
          return { ...cls, events: decided.events, graduationId, graduated: data.recordIds.length, stayed: data.stayed.length };
        },
      };
    });
  }
}

export const LEAVE_HANDLERS = [LeaveKindergartenHandler, GraduateClassHandler];

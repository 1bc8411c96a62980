import { Injectable } from '@nestjs/common';
import { type CommandContext, CommandPath, type PreparedAppend } from '../../shared/command/command-path.js';
import type { WritePlan } from '../../shared/command/write-plan.js';
import { DomainError } from '../../shared/domain/domain-error.js';
import { CLOCK, type Clock, isoNow } from '../../shared/time/clock.js';
import { Inject } from '@nestjs/common';
import { RecordRegister } from '../../records/contracts/index.js';
import { classDecider, classStream } from '../domain/class.decider.js';
import { placementDecider, placementStream } from '../domain/placement.decider.js';
import { restorationDecider, restorationStream } from '../domain/restoration.decider.js';
import { type Loader, type StreamStep, Together } from './together.js';

/** children graduated at once (their leaves share the store's group commit) */
const GRADUATION_CHUNK = 20;

/**
 * The effects that follow a decision on the records and the classes: a child that left gives its
 * class place up, a decided whole-class graduation graduates each child, an approved restoration
 * brings each child back into its class. Run by the request that decided it and again by the
 * enrolment reactor (after a crash, from the log): every step is an idempotent command, so a
 * repetition changes nothing and an interrupted one ends complete.
 */
@Injectable()
export class Lifecycle {
  constructor(
    private readonly commands: CommandPath,
    private readonly together: Together,
    private readonly register: RecordRegister,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * The child left the kindergarten: out of its class and its placement, both or neither. The
   * placement is the truth: a class still listing a child whose placement was already given up
   * (a stream-by-stream write cut short) lets it go too.
   */
  async release(recordId: string, context: CommandContext): Promise<void> {
    await this.together.write(context, this.releasePlan(recordId, isoNow(this.clock)), () => this.release(recordId, context));
  }

  /** `release` decided on the current states, not stored: a transfer's completion appends it in its own one write (ADR 24). */
  prepareRelease(recordId: string, context: CommandContext): Promise<Array<PreparedAppend<unknown> & { decider: object }>> {
    return this.together.prepare({ ...context, expectedRevision: undefined }, this.releasePlan(recordId, isoNow(this.clock)));
  }

  private releasePlan(recordId: string, at: string) {
    return async (load: Loader): Promise<StreamStep[]> => {
      const placement = await load(placementStream(recordId), placementDecider);
      const classId = placement.classId ?? placement.lastClassId;
      if (!classId) return [];
      const leave = { streamId: classStream(classId), decider: classDecider, command: { type: 'LeaveClass', recordIds: [recordId], how: 'left', at } };
      if (!placement.classId) return recordId in (await load(classStream(classId), classDecider)).members ? [leave] : [];
      return [{ streamId: placementStream(recordId), decider: placementDecider, command: { type: 'Unplace', classId, at } }, leave];
    };
  }

  /**
   * Graduates every child the decision names, then completes it: the class keeps only its 留园
   * children. Run again on a completed graduation it still gives up the placements a cut-short
   * write left naming the class; nothing else changes.
   */
  async completeGraduation(classId: string, graduationId: string, context: CommandContext): Promise<void> {
    const history = await this.commands.history(classStream(classId));
    const decided = history.find((e) => e.type === 'ClassGraduationDecided' && (e.data as { graduationId: string }).graduationId === graduationId);
    if (!decided) return;
    const { recordIds, leaveDate } = decided.data as { recordIds: string[]; leaveDate: string };
    const { state } = await this.commands.load(classStream(classId), classDecider);
    const running = state.graduating === graduationId;
    if (running) {
      const by = { institutionCode: state.institutionCode };
      for (let i = 0; i < recordIds.length; i += GRADUATION_CHUNK) {
        await Promise.all(recordIds.slice(i, i + GRADUATION_CHUNK).map((id) => this.graduate(id, by, leaveDate, context)));
      }
    }
    // once completed, a child back in the kindergarten (restored into the class) keeps its place
    const left = running ? null : new Set((await Promise.all(recordIds.map(async (id) => ((await this.register.get(id))?.status === 'numbered' ? null : id)))).filter((id) => id !== null));
    const at = isoNow(this.clock);
    const complete = async (): Promise<void> => {
      await this.together.write(context, async (load) => {
        const placements = await Promise.all(recordIds.map(async (id) => ({ id, placement: await load(placementStream(id), placementDecider) })));
        // the class's completion first (a no-op once done), then the placements that still name it
        return [
          { streamId: classStream(classId), decider: classDecider, command: { type: 'CompleteGraduation', graduationId, recordIds, at } },
          ...placements.filter((p) => p.placement.classId === classId && (!left || left.has(p.id))).map((p) => ({ streamId: placementStream(p.id), decider: placementDecider, command: { type: 'Unplace', classId, at } })),
        ];
      }, complete);
    };
    await complete();
  }

  /**
   * On a store with multi-stream transactions, a graduation is one write (ADR 0030): its decision
   * (already in `plan`), each graduate's leave, the class's completion and the placements given
   * up. A child the class still lists but that meanwhile left otherwise is passed over, as in
   * the stream-by-stream sequence above; `context` names the decision as the cause.
   */
  async planGraduation(plan: WritePlan, classId: string, decision: { graduationId: string; recordIds: string[]; leaveDate: string }, by: { institutionCode: string }, context: CommandContext): Promise<void> {
    const { graduationId, recordIds, leaveDate } = decision;
    for (const recordId of recordIds) {
      try {
        await this.register.planLeave(plan, recordId, by, { leaveType: 'graduated', leaveDate, reason: '整班毕业离园' }, context);
      } catch (error) {
        if (!(error instanceof DomainError) || error.kind === 'unavailable') throw error;
      }
    }
    const at = isoNow(this.clock);
    await plan.decide({ streamId: classStream(classId), decider: classDecider, command: { type: 'CompleteGraduation', graduationId, recordIds, at }, context });
    for (const recordId of recordIds) {
      if ((await plan.state(placementStream(recordId), placementDecider)).classId !== classId) continue;
      await plan.decide({ streamId: placementStream(recordId), decider: placementDecider, command: { type: 'Unplace', classId, at }, context });
    }
  }

  private async graduate(recordId: string, by: { institutionCode: string }, leaveDate: string, context: CommandContext): Promise<void> {
    try {
      await this.register.leave(recordId, by, { leaveType: 'graduated', leaveDate, reason: '整班毕业离园' }, context);
    } catch (error) {
      // a child the class still lists but that meanwhile left otherwise: graduation goes on without it
      if (!(error instanceof DomainError) || error.kind === 'unavailable') throw error;
    }
  }

  /** Each child of an approved application back as before: the record, then its class (when that still exists). */
  async carryOutRestoration(applicationId: string, context: CommandContext): Promise<void> {
    const { state } = await this.commands.load(restorationStream(applicationId), restorationDecider);
    if (state.status !== 'approved') return;
    const by = { institutionCode: state.institutionCode };
    for (const recordId of state.recordIds) {
      try {
        await this.register.restore(recordId, by, applicationId, context);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        continue;
      }
      await this.replace(recordId, by.institutionCode, context);
    }
  }

  private async replace(recordId: string, institutionCode: string, context: CommandContext): Promise<void> {
    const at = isoNow(this.clock);
    await this.together.write(context, async (load) => {
      const placement = await load(placementStream(recordId), placementDecider);
      if (placement.classId || !placement.lastClassId) return [];
      const cls = await load(classStream(placement.lastClassId), classDecider);
      // a class of the kindergarten it was transferred from is not its class any more (issue 15)
      if (cls.status !== 'active' || cls.institutionCode !== institutionCode) return [];
      return [
        { streamId: placementStream(recordId), decider: placementDecider, command: { type: 'Place', recordId, institutionCode: cls.institutionCode, classId: cls.classId, move: false, className: cls.name, at } },
        { streamId: classStream(cls.classId), decider: classDecider, command: { type: 'JoinClass', recordIds: [recordId], how: 'restored', at } },
      ];
    });
  }
}

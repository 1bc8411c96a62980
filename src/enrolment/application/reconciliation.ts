import { Injectable } from '@nestjs/common';
import { Inject } from '@nestjs/common';
import { type CommandContext, CommandPath } from '../../shared/command/command-path.js';
import { DomainError } from '../../shared/domain/domain-error.js';
import { CLOCK, type Clock, isoNow } from '../../shared/time/clock.js';
import { type AssignmentImportEvent, assignmentImportStream } from '../domain/assignment-import.decider.js';
import { classDecider, classStream } from '../domain/class.decider.js';
import { placementDecider, placementStream } from '../domain/placement.decider.js';
import { type StreamStep, Together } from './together.js';

/** classes completed at once by an import's completion */
const IMPORT_CONCURRENCY = 8;

/**
 * Completes a multi-stream write from its intent (ADR 0018). On the embedded store every such
 * write is one transaction and each completion finds nothing to do; on KurrentDB, which writes
 * stream by stream, a crash or a concurrent writer can leave the intent without the rest. The
 * child's placement is the truth of where it is; classes follow it. Each completion decides on
 * freshly loaded states with idempotent commands, so repeating it (the request, then the
 * reactor after a restart) changes nothing.
 */
@Injectable()
export class Reconciliation {
  constructor(private readonly together: Together, private readonly commands: CommandPath, @Inject(CLOCK) private readonly clock: Clock) {}

  /** After ChildPlaced: the class the placement names holds the child; the class it came from does not. */
  async placement(recordId: string, fromClassId: string | null, context: CommandContext): Promise<void> {
    await this.together.write(context, async (load) => {
      const placement = await load(placementStream(recordId), placementDecider);
      const at = isoNow(this.clock);
      const steps: StreamStep[] = [];
      if (placement.classId) {
        const cls = await load(classStream(placement.classId), classDecider);
        if (cls.status === 'active' && !cls.graduating && !(recordId in cls.members)) {
          steps.push({ streamId: classStream(placement.classId), decider: classDecider, command: { type: 'JoinClass', recordIds: [recordId], how: fromClassId ? 'changed' : 'assigned', at } });
        }
      }
      if (fromClassId && fromClassId !== placement.classId) {
        const from = await load(classStream(fromClassId), classDecider);
        if (recordId in from.members) steps.push({ streamId: classStream(fromClassId), decider: classDecider, command: { type: 'LeaveClass', recordIds: [recordId], how: 'changed', at } });
      }
      return steps;
    });
  }

  /**
   * After ClassPromoted: each promoted child whose placement still names the source moves to the
   * target, and the target takes in (as promoted) those not in it yet. A child that went on
   * elsewhere since is left where it is.
   */
  async promotion(classId: string, targetClassId: string, promoted: readonly string[], context: CommandContext): Promise<void> {
    await this.together.write(context, async (load) => {
      const target = await load(classStream(targetClassId), classDecider);
      if (target.status !== 'active') return [];
      const at = isoNow(this.clock);
      const placements = await Promise.all(promoted.map(async (recordId) => ({ recordId, placement: await load(placementStream(recordId), placementDecider) })));
      const moving = placements.filter((p) => p.placement.classId === classId).map((p) => p.recordId);
      const joining = placements.filter((p) => (p.placement.classId === classId || p.placement.classId === targetClassId) && !(p.recordId in target.members)).map((p) => p.recordId);
      const steps: StreamStep[] = moving.map((recordId) => ({
        streamId: placementStream(recordId), decider: placementDecider, command: { type: 'Place', recordId, institutionCode: target.institutionCode, classId: targetClassId, move: true, className: target.name, at },
      }));
      if (joining.length > 0) steps.push({ streamId: classStream(targetClassId), decider: classDecider, command: { type: 'JoinClass', recordIds: joining, how: 'promoted', at } });
      return steps;
    });
  }

  /**
   * After ClassAssignmentsImported: every placement the batch names is there, class by class. A
   * child another registrar placed elsewhere in between stays there (the reservation decides).
   */
  async importBatch(batchId: string, context: CommandContext): Promise<void> {
    const events = await this.commands.history(assignmentImportStream(batchId));
    const batch = events.find((e) => e.type === 'ClassAssignmentsImported')?.data as AssignmentImportEvent['data'] | undefined;
    const byClass = new Map<string, string[]>();
    for (const { recordId, classId } of batch?.placements ?? []) byClass.set(classId, [...(byClass.get(classId) ?? []), recordId]);
    const groups = [...byClass];
    const worker = async (): Promise<void> => {
      for (let group = groups.shift(); group; group = groups.shift()) await this.importedInto(group[0], group[1], context);
    };
    await Promise.all(Array.from({ length: IMPORT_CONCURRENCY }, worker));
  }

  private async importedInto(classId: string, recordIds: string[], context: CommandContext): Promise<void> {
    const complete = () => this.importedInto(classId, recordIds, context);
    await this.together.write(context, async (load) => {
      const cls = await load(classStream(classId), classDecider);
      if (cls.status !== 'active' || cls.graduating) return [];
      const at = isoNow(this.clock);
      const placements = await Promise.all(recordIds.map(async (recordId) => ({ recordId, placement: await load(placementStream(recordId), placementDecider) })));
      const placing = placements.filter((p) => p.placement.classId === null).map((p) => p.recordId);
      const joining = placements.filter((p) => (p.placement.classId === null || p.placement.classId === classId) && !(p.recordId in cls.members)).map((p) => p.recordId);
      // the reservations first: the child is never in two classes, even when only they are written
      const steps: StreamStep[] = placing.map((recordId) => ({
        streamId: placementStream(recordId), decider: placementDecider, command: { type: 'Place', recordId, institutionCode: cls.institutionCode, classId, move: false, className: cls.name, at },
      }));
      if (joining.length > 0) steps.push({ streamId: classStream(classId), decider: classDecider, command: { type: 'JoinClass', recordIds: joining, how: 'assigned', at } });
      return steps;
    }, complete).catch((error: unknown) => {
      if (!(error instanceof DomainError)) throw error;
    });
  }
}

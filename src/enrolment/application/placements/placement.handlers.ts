import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { Principal } from '../../../accounts/contracts/index.js';
import { RecordRegister } from '../../../records/contracts/index.js';
import type { CommandContext } from '../../../shared/command/command-path.js';
import { DomainError, notFound, rule } from '../../../shared/domain/domain-error.js';
import { CLOCK, type Clock, isoNow } from '../../../shared/time/clock.js';
import { classDecider, classStream } from '../../domain/class.decider.js';
import { placementDecider, placementStream } from '../../domain/placement.decider.js';
import { CLASS_NOT_FOUND, requireOwnClass, requireRegistrar } from '../class-access.js';
import { Reconciliation } from '../reconciliation.js';
import { type StreamStep, Together } from '../together.js';

export interface PlacementResult {
  recordId: string;
  outcome: 'placed' | 'unchanged' | 'refused';
  fromClassId?: string | null;
  code?: string;
  message?: string;
}

export interface PlacementSummary {
  classId: string;
  placed: number;
  refused: number;
  results: PlacementResult[];
  position: number;
}

/** 分班 (move: false) or 调班 (move: true) of one or many children into a class of the caller's kindergarten. */
export class PlaceChildren extends Command<PlacementSummary> {
  constructor(readonly principal: Principal, readonly classId: string, readonly recordIds: string[], readonly move: boolean, readonly context: CommandContext) {
    super();
  }
}

/**
 * Each child on its own: its placement, the class it leaves and the class it joins in one write
 * (Together), so a child is in at most one class even under concurrent commands. A refused child
 * is reported with its reason; the others are placed.
 */
@CommandHandler(PlaceChildren)
export class PlaceChildrenHandler implements ICommandHandler<PlaceChildren> {
  constructor(private readonly together: Together, private readonly reconciliation: Reconciliation, private readonly register: RecordRegister, @Inject(CLOCK) private readonly clock: Clock) {}

  async execute({ principal, classId, recordIds, move, context }: PlaceChildren): Promise<PlacementSummary> {
    const institutionCode = requireRegistrar(principal, move ? '调班' : '分班');
    const results: PlacementResult[] = [];
    let position = 0;
    for (const recordId of [...new Set(recordIds)]) {
      try {
        const facts = await this.register.get(recordId);
        if (!facts || facts.institutionCode !== institutionCode || facts.status === 'deleted') throw notFound('record-not-found', '学籍记录不存在或不在您的管辖范围内');
        if (facts.status !== 'numbered') throw rule('record-not-in-kindergarten', '只有审核通过、在园的幼儿可以分班或调班');
        let fromClassId: string | null = null;
        // the placement (the reservation) is the first step; classes follow it (reconciliation.ts)
        const outcomes = await this.together.write(context, async (load) => {
          const target = await load(classStream(classId), classDecider);
          requireOwnClass(principal, target);
          const placement = await load(placementStream(recordId), placementDecider);
          fromClassId = placement.classId;
          const at = isoNow(this.clock);
          const steps: StreamStep[] = [
            { streamId: placementStream(recordId), decider: placementDecider, command: { type: 'Place', recordId, institutionCode, classId, move, className: target.name, at } },
            { streamId: classStream(classId), decider: classDecider, command: { type: 'JoinClass', recordIds: [recordId], how: move ? 'changed' : 'assigned', at } },
          ];
          if (placement.classId && placement.classId !== classId) steps.push({ streamId: classStream(placement.classId), decider: classDecider, command: { type: 'LeaveClass', recordIds: [recordId], how: 'changed', at } });
          return steps;
        }, () => this.reconciliation.placement(recordId, fromClassId, context));
        const changed = outcomes.some((o) => o.events.length > 0);
        position = Math.max(position, ...outcomes.map((o) => o.position));
        results.push({ recordId, outcome: changed ? 'placed' : 'unchanged', fromClassId });
      } catch (error) {
        // a class that is not the caller's refuses the whole call
        if (!(error instanceof DomainError) || error.code === 'class-not-found') throw error;
        results.push({ recordId, outcome: 'refused', code: error.code, message: error.message });
      }
    }
    return { classId, placed: results.filter((r) => r.outcome === 'placed').length, refused: results.filter((r) => r.outcome === 'refused').length, results, position };
  }
}

export interface PromotionOutcome {
  classId: string;
  targetClassId: string;
  promoted: number;
  stayed: number;
  position: number;
}

export class PromoteClass extends Command<PromotionOutcome> {
  constructor(readonly principal: Principal, readonly classId: string, readonly targetClassId: string, readonly context: CommandContext) {
    super();
  }
}

/**
 * 升级: the class's children not kept back move into the target class, all of them or none (one
 * write). ClassPromoted on the source is the intent: on a store without multi-stream
 * transactions the reconciliation (here, and the enrolment reactor after a crash) completes it.
 */
@CommandHandler(PromoteClass)
export class PromoteClassHandler implements ICommandHandler<PromoteClass> {
  constructor(private readonly together: Together, private readonly reconciliation: Reconciliation, @Inject(CLOCK) private readonly clock: Clock) {}

  async execute({ principal, classId, targetClassId, context }: PromoteClass): Promise<PromotionOutcome> {
    const institutionCode = requireRegistrar(principal, '升级');
    let promoted: string[] = [];
    let stayed = 0;
    const outcomes = await this.together.write(context, async (load) => {
      const source = await load(classStream(classId), classDecider);
      requireOwnClass(principal, source);
      const target = await load(classStream(targetClassId), classDecider);
      if (target.status !== 'active' || target.institutionCode !== institutionCode) throw notFound('class-not-found', CLASS_NOT_FOUND);
      const at = isoNow(this.clock);
      const [decided] = classDecider.decide({ type: 'PromoteInto', target, at }, source);
      const data = decided!.data as { promoted: string[]; stayed: string[] };
      promoted = data.promoted;
      stayed = data.stayed.length;
      return [
        { streamId: classStream(classId), decider: classDecider, command: { type: 'PromoteInto', target, at } },
        { streamId: classStream(targetClassId), decider: classDecider, command: { type: 'JoinClass', recordIds: promoted, how: 'promoted', at } },
        ...promoted.map((recordId) => ({ streamId: placementStream(recordId), decider: placementDecider, command: { type: 'Place', recordId, institutionCode, classId: targetClassId, move: true, className: target.name, at } })),
      ];
    }, () => this.reconciliation.promotion(classId, targetClassId, promoted, context));
    return { classId, targetClassId, promoted: promoted.length, stayed, position: Math.max(0, ...outcomes.map((o) => o.position)) };
  }
}

export const PLACEMENT_HANDLERS = [PlaceChildrenHandler, PromoteClassHandler];

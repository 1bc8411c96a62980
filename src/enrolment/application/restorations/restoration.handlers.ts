import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { Principal } from '../../../accounts/contracts/index.js';
import { RecordRegister } from '../../../records/contracts/index.js';
import { type CommandContext, type CommandOutcome, CommandPath } from '../../../shared/command/command-path.js';
import { DomainError } from '../../../shared/domain/domain-error.js';
import { CLOCK, type Clock, isoNow } from '../../../shared/time/clock.js';
import { CATEGORY_LABEL, type RestorationCategory, type RestorationState, restorationDecider, restorationStream } from '../../domain/restoration.decider.js';
import { requireCountyReviewer, requireRegistrar } from '../class-access.js';
import { Lifecycle } from '../lifecycle.js';

type RestorationOutcome = CommandOutcome<RestorationState>;

export class ApplyForRestoration extends Command<RestorationOutcome> {
  constructor(readonly principal: Principal, readonly category: RestorationCategory, readonly recordIds: string[], readonly reason: string, readonly context: CommandContext) {
    super();
  }
}

/** The institution applies for children of its own that left in the chosen category; each is checked on its record. */
@CommandHandler(ApplyForRestoration)
export class ApplyForRestorationHandler implements ICommandHandler<ApplyForRestoration> {
  constructor(private readonly commands: CommandPath, private readonly register: RecordRegister, @Inject(CLOCK) private readonly clock: Clock) {}

  async execute({ principal, category, recordIds, reason, context }: ApplyForRestoration): Promise<RestorationOutcome> {
    const institutionCode = requireRegistrar(principal, '幼儿信息恢复申请');
    const errors = [];
    for (const [i, recordId] of recordIds.entries()) {
      const facts = await this.register.get(recordId);
      const leaveType = facts?.leave?.leaveType;
      if (!facts || facts.institutionCode !== institutionCode || !['left', 'cancelled'].includes(facts.status)) {
        errors.push({ field: `recordIds[${i}]`, code: 'record-not-left', message: '该幼儿不是本园已离园（或已注销）的幼儿，不能申请恢复' });
      } else if (leaveType !== category) {
        errors.push({ field: `recordIds[${i}]`, code: 'category-mismatch', message: `该幼儿的离园类型不是“${CATEGORY_LABEL[category]}”，请选择正确的恢复类别` });
      }
    }
    if (errors.length > 0) throw new DomainError('rule', 'restoration-children', '所选幼儿中有不能恢复的，请按提示修改后重新申请', errors);
    const applicationId = randomUUID();
    return this.commands.start({
      streamId: restorationStream(applicationId), decider: restorationDecider, context,
      command: { type: 'ApplyForRestoration', applicationId, institutionCode, divisionCode: principal.divisionCode, category, recordIds, reason, at: isoNow(this.clock) },
    });
  }
}

export class ReviewRestoration extends Command<RestorationOutcome> {
  constructor(readonly principal: Principal, readonly applicationId: string, readonly decision: { approve: true } | { approve: false; reason: string }, readonly context: CommandContext) {
    super();
  }
}

/** The county approves (each child back exactly as before, here and by the reactor after a crash) or rejects with a reason. */
@CommandHandler(ReviewRestoration)
export class ReviewRestorationHandler implements ICommandHandler<ReviewRestoration> {
  constructor(private readonly commands: CommandPath, private readonly lifecycle: Lifecycle, @Inject(CLOCK) private readonly clock: Clock) {}

  async execute({ principal, applicationId, decision, context }: ReviewRestoration): Promise<RestorationOutcome> {
    const at = isoNow(this.clock);
    const outcome = await this.commands.run({
      streamId: restorationStream(applicationId), decider: restorationDecider, context,
      command: decision.approve ? { type: 'ApproveRestoration', at } : { type: 'RejectRestoration', reason: decision.reason, at },
      authorise: (state) => requireCountyReviewer(principal, state),
    });
    if (decision.approve) await this.lifecycle.carryOutRestoration(applicationId, { ...context, expectedRevision: undefined });
    return outcome;
  }
}

export const RESTORATION_HANDLERS = [ApplyForRestorationHandler, ReviewRestorationHandler];

import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { Principal } from '../../accounts/contracts/index.js';
import { covers } from '../../shared/access/jurisdiction.js';
import { type CommandContext, type CommandOutcome, CommandPath } from '../../shared/command/command-path.js';
import { forbidden, notFound } from '../../shared/domain/domain-error.js';
import { CLOCK, type Clock, isoNow } from '../../shared/time/clock.js';
import { type UnlicensedDetails, type UnlicensedState, unlicensedDecider, unlicensedStream } from '../domain/unlicensed.decider.js';

type UnlicensedOutcome = CommandOutcome<UnlicensedState>;

function countyOnly(principal: Principal): void {
  if (principal.level !== 'county' || (principal.role !== 'business' && principal.role !== 'review')) {
    throw forbidden('county-only', '无证机构由区县的业务账号或审核账号登记和更新');
  }
}

/** The county records an unlicensed institution (无证机构) in its own division; it never gets accounts. */
export class RecordUnlicensed extends Command<{ id: string; outcome: UnlicensedOutcome }> {
  constructor(readonly principal: Principal, readonly details: UnlicensedDetails, readonly context: CommandContext) {
    super();
  }
}

@CommandHandler(RecordUnlicensed)
export class RecordUnlicensedHandler implements ICommandHandler<RecordUnlicensed> {
  constructor(private readonly commands: CommandPath, @Inject(CLOCK) private readonly clock: Clock) {}

  async execute({ principal, details, context }: RecordUnlicensed) {
    countyOnly(principal);
    const id = randomUUID();
    const outcome = await this.commands.run({
      streamId: unlicensedStream(id), decider: unlicensedDecider, command: { type: 'RecordUnlicensed', id, divisionCode: principal.divisionCode, details, at: isoNow(this.clock) }, context,
    });
    return { id, outcome };
  }
}

export class UpdateUnlicensed extends Command<UnlicensedOutcome> {
  constructor(readonly principal: Principal, readonly id: string, readonly details: UnlicensedDetails, readonly context: CommandContext) {
    super();
  }
}

@CommandHandler(UpdateUnlicensed)
export class UpdateUnlicensedHandler implements ICommandHandler<UpdateUnlicensed> {
  constructor(private readonly commands: CommandPath, @Inject(CLOCK) private readonly clock: Clock) {}

  execute({ principal, id, details, context }: UpdateUnlicensed): Promise<UnlicensedOutcome> {
    countyOnly(principal);
    return this.commands.run({
      streamId: unlicensedStream(id), decider: unlicensedDecider, command: { type: 'UpdateUnlicensed', id, details, at: isoNow(this.clock) }, context,
      authorise: (state) => {
        if (state.divisionCode === null || !covers(principal, { divisionCode: state.divisionCode })) throw notFound('unlicensed-not-found', '无证机构记录不存在或不在您的管辖范围内');
      },
    });
  }
}

export const UNLICENSED_HANDLERS = [RecordUnlicensedHandler, UpdateUnlicensedHandler];

import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { Principal } from '../../accounts/contracts/index.js';
import { type CommandContext, type CommandOutcome, CommandPath } from '../../shared/command/command-path.js';
import { forbidden } from '../../shared/domain/domain-error.js';
import { CLOCK, type Clock, isoNow } from '../../shared/time/clock.js';
import { CUSTOM_DIVISIONS_STREAM, type CustomDivisionState, customDivisionDecider } from '../domain/custom-division.decider.js';

/** The ministry creates a county-level custom division under a prefecture, on a province's request. */
export class CreateCustomDivision extends Command<CommandOutcome<CustomDivisionState>> {
  constructor(readonly principal: Principal, readonly input: { code: string; name: string; parent: string; reason: string }, readonly context: CommandContext) {
    super();
  }
}

@CommandHandler(CreateCustomDivision)
export class CreateCustomDivisionHandler implements ICommandHandler<CreateCustomDivision> {
  constructor(private readonly commands: CommandPath, @Inject(CLOCK) private readonly clock: Clock) {}

  execute({ principal, input, context }: CreateCustomDivision): Promise<CommandOutcome<CustomDivisionState>> {
    if (principal.level !== 'ministry' || principal.role !== 'admin') throw forbidden('ministry-admin-only', '自定义行政区划只能由教育部系统管理员根据省级申请创建');
    return this.commands.run({ streamId: CUSTOM_DIVISIONS_STREAM, decider: customDivisionDecider, command: { type: 'CreateCustomDivision', ...input, at: isoNow(this.clock) }, context });
  }
}

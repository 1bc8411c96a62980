import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { Principal } from '../../accounts/contracts/index.js';
import { type CommandContext, type CommandOutcome, CommandPath } from '../../shared/command/command-path.js';
import { forbidden } from '../../shared/domain/domain-error.js';
import { CLOCK, type Clock, isoNow } from '../../shared/time/clock.js';
import { type Business, type BusinessWindow, type ProvinceSettings, settingsDecider, settingsStream } from '../domain/province-settings.decider.js';

type SettingsOutcome = CommandOutcome<ProvinceSettings>;

/** Only the province's own administrator sets its switches and windows; the province is the caller's. */
function provinceAdmin(principal: Principal): string {
  if (principal.role !== 'admin' || principal.level !== 'province') throw forbidden('province-admin-only', '功能开关和业务时间只能由省级系统管理员设置');
  return principal.divisionCode;
}

export class SwitchBusiness extends Command<SettingsOutcome> {
  constructor(readonly principal: Principal, readonly business: Business, readonly enabled: boolean, readonly reason: string, readonly context: CommandContext) {
    super();
  }
}

@CommandHandler(SwitchBusiness)
export class SwitchBusinessHandler implements ICommandHandler<SwitchBusiness> {
  constructor(private readonly commands: CommandPath, @Inject(CLOCK) private readonly clock: Clock) {}

  execute({ principal, business, enabled, reason, context }: SwitchBusiness): Promise<SettingsOutcome> {
    const provinceCode = provinceAdmin(principal);
    return this.commands.run({ streamId: settingsStream(provinceCode), decider: settingsDecider, command: { type: 'SwitchFeature', provinceCode, business, enabled, reason, at: isoNow(this.clock) }, context });
  }
}

/** Sets (or, with null, clears) the business's time window. */
export class SetBusinessWindow extends Command<SettingsOutcome> {
  constructor(readonly principal: Principal, readonly business: Business, readonly window: BusinessWindow | null, readonly reason: string, readonly context: CommandContext) {
    super();
  }
}

@CommandHandler(SetBusinessWindow)
export class SetBusinessWindowHandler implements ICommandHandler<SetBusinessWindow> {
  constructor(private readonly commands: CommandPath, @Inject(CLOCK) private readonly clock: Clock) {}

  execute({ principal, business, window, reason, context }: SetBusinessWindow): Promise<SettingsOutcome> {
    const provinceCode = provinceAdmin(principal);
    return this.commands.run({ streamId: settingsStream(provinceCode), decider: settingsDecider, command: { type: 'SetBusinessWindow', provinceCode, business, window, reason, at: isoNow(this.clock) }, context });
  }
}

export const SETTINGS_HANDLERS = [SwitchBusinessHandler, SetBusinessWindowHandler];

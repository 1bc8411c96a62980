import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '../../accounts/contracts/index.js';
import type { AppConfig } from '../../config/app-config.js';
import { provinceCodeOf } from '../../shared/access/jurisdiction.js';
import { type CommandContext, CommandPath } from '../../shared/command/command-path.js';
import { forbidden } from '../../shared/domain/domain-error.js';
import { APP_CONFIG } from '../../shared/infrastructure/tokens.js';
import { BUSINESSES, type Business, type BusinessWindow, businessClosed, settingsDecider, settingsStream } from '../domain/province-settings.decider.js';

@Injectable()
export class SettingsService {
  constructor(
    private readonly commands: CommandPath,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The province whose settings apply to a caller: its own (ministry deployment) or the deployment's. */
  provinceOf(principal?: Pick<Principal, 'divisionCode' | 'level'>): string {
    if (principal && principal.level !== 'ministry') return provinceCodeOf(principal.divisionCode);
    return this.config.deploymentLevel === 'province' ? this.config.deploymentDivision : '000000';
  }

  async view(provinceCode: string) {
    const { state } = await this.commands.load(settingsStream(provinceCode), settingsDecider);
    return {
      provinceCode,
      businesses: (Object.keys(BUSINESSES) as Business[]).map((business) => ({
        business,
        label: BUSINESSES[business],
        enabled: !state.disabled.includes(business),
        window: state.windows[business] ?? null,
      })),
    };
  }

  /** Why the business is closed for this province now (a message naming the window), or null when open. */
  async closedReason(business: Business, provinceCode: string, at = new Date().toISOString()): Promise<{ code: string; message: string } | null> {
    const { state } = await this.commands.load(settingsStream(provinceCode), settingsDecider);
    return businessClosed(state, business, at);
  }

  private assertProvinceAdmin(principal: Principal): string {
    if (principal.role !== 'admin' || principal.level !== 'province') throw forbidden('province-admin-only', '功能开关和业务时间只能由省级系统管理员设置');
    return principal.divisionCode;
  }

  switch(principal: Principal, business: Business, enabled: boolean, reason: string, context: CommandContext) {
    const provinceCode = this.assertProvinceAdmin(principal);
    return this.commands.run({ streamId: settingsStream(provinceCode), decider: settingsDecider, command: { type: 'SwitchFeature', provinceCode, business, enabled, reason, at: new Date().toISOString() }, context });
  }

  setWindow(principal: Principal, business: Business, window: BusinessWindow | null, reason: string, context: CommandContext) {
    const provinceCode = this.assertProvinceAdmin(principal);
    return this.commands.run({ streamId: settingsStream(provinceCode), decider: settingsDecider, command: { type: 'SetBusinessWindow', provinceCode, business, window, reason, at: new Date().toISOString() }, context });
  }
}

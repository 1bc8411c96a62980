import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '../../accounts/contracts/index.js';
import type { AppConfig } from '../../config/app-config.js';
import { provinceCodeOf } from '../../shared/access/jurisdiction.js';
import { CommandPath } from '../../shared/command/command-path.js';
import { APP_CONFIG } from '../../shared/infrastructure/tokens.js';
import { CLOCK, type Clock, isoNow } from '../../shared/time/clock.js';
import { BUSINESSES, type Business, businessClosed, settingsDecider, settingsStream } from '../domain/province-settings.decider.js';

/** The province's settings as read (the writes are the commands in settings.handlers.ts). */
@Injectable()
export class SettingsService {
  constructor(
    private readonly commands: CommandPath,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
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
  async closedReason(business: Business, provinceCode: string, at = isoNow(this.clock)): Promise<{ code: string; message: string } | null> {
    const { state } = await this.commands.load(settingsStream(provinceCode), settingsDecider);
    return businessClosed(state, business, at);
  }
}

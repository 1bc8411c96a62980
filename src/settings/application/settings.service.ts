import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '../../accounts/contracts/index.js';
import type { AppConfig } from '../../config/app-config.js';
import { provinceCodeOf } from '../../shared/access/jurisdiction.js';
import { CommandPath } from '../../shared/command/command-path.js';
import { RecentStates } from '../../shared/command/recent-states.js';
import { APP_CONFIG } from '../../shared/infrastructure/tokens.js';
import { CLOCK, type Clock, isoNow } from '../../shared/time/clock.js';
import { BUSINESSES, type Business, type ProvinceSettings, businessClosed, settingsDecider, settingsStream } from '../domain/province-settings.decider.js';

const SETTINGS_STREAM_PREFIX = settingsStream('');

/**
 * How long the business-window check of a command may answer from the settings it read last
 * without asking the store (as the session check, ADR 28). A settings write of this process drops
 * them at once; this bounds only how late a write by another process is seen.
 */
export const SETTINGS_CACHE_MS = 1000;

/** The province's settings as read (the writes are the commands in settings.handlers.ts). */
@Injectable()
export class SettingsService {
  /** the settings the window check read last, by province */
  private readonly checked: RecentStates<ProvinceSettings>;

  constructor(
    private readonly commands: CommandPath,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    // one entry per province: a ministry deployment has 34 at most
    this.checked = new RecentStates(commands, SETTINGS_STREAM_PREFIX, settingsDecider, { ttlMs: SETTINGS_CACHE_MS, limit: 100 });
  }

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
    return businessClosed(await this.checkedSettings(provinceCode), business, at);
  }

  /** Every business command checks the window: the settings read within SETTINGS_CACHE_MS, else one stream read. */
  private checkedSettings(provinceCode: string): Promise<ProvinceSettings> {
    return this.checked.get(provinceCode, this.clock.now().getTime());
  }
}

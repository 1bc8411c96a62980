import type { Decider, DomainEvent } from '../../shared/domain/decider.js';
import { invalid } from '../../shared/domain/domain-error.js';

/**
 * Businesses a province can switch off or open only in a time window (功能开关 / 业务时间设置).
 * Contexts name the business their commands belong to; the guard refuses outside the window.
 */
export const BUSINESSES = {
  'record-registration': '幼儿学籍注册',
  'record-import': '模板导入',
  'key-information-change': '关键信息变更',
  'record-transfer': '幼儿调转',
  promotion: '升级',
  graduation: '毕业离园',
  'record-restoration': '信息恢复申请',
  'institution-filing': '机构信息填报',
} as const;
export type Business = keyof typeof BUSINESSES;
export const isBusiness = (value: string): value is Business => Object.hasOwn(BUSINESSES, value);

export interface BusinessWindow {
  opensAt: string;
  closesAt: string;
}

export interface ProvinceSettings {
  disabled: Business[];
  windows: Partial<Record<Business, BusinessWindow>>;
}

export type SettingsEvent =
  | DomainEvent<'FeatureSwitched', { provinceCode: string; business: Business; enabled: boolean; at: string }>
  | DomainEvent<'BusinessWindowSet', { provinceCode: string; business: Business; opensAt: string; closesAt: string; at: string }>
  | DomainEvent<'BusinessWindowCleared', { provinceCode: string; business: Business; at: string }>;

export type SettingsCommand =
  | { type: 'SwitchFeature'; provinceCode: string; business: Business; enabled: boolean; reason: string; at: string }
  | { type: 'SetBusinessWindow'; provinceCode: string; business: Business; window: BusinessWindow | null; reason: string; at: string };

export const settingsDecider: Decider<SettingsCommand, ProvinceSettings, SettingsEvent> = {
  initialState: { disabled: [], windows: {} },
  decide(command, state) {
    const { provinceCode, business, reason, at } = command;
    if (command.type === 'SwitchFeature') {
      if (state.disabled.includes(business) === !command.enabled) return [];
      return [{ type: 'FeatureSwitched', data: { provinceCode, business, enabled: command.enabled, at }, reason }];
    }
    if (command.window === null) {
      return state.windows[business] ? [{ type: 'BusinessWindowCleared', data: { provinceCode, business, at }, reason }] : [];
    }
    const { opensAt, closesAt } = command.window;
    if (!(Date.parse(opensAt) < Date.parse(closesAt))) {
      throw invalid([{ field: 'closesAt', code: 'window-order', message: '结束时间必须晚于开始时间', value: closesAt }]);
    }
    const current = state.windows[business];
    if (current && current.opensAt === opensAt && current.closesAt === closesAt) return [];
    return [{ type: 'BusinessWindowSet', data: { provinceCode, business, opensAt, closesAt, at }, reason }];
  },
  evolve(state, event) {
    const { business } = event.data;
    switch (event.type) {
      case 'FeatureSwitched':
        return { ...state, disabled: event.data.enabled ? state.disabled.filter((b) => b !== business) : [...state.disabled, business] };
      case 'BusinessWindowSet':
        return { ...state, windows: { ...state.windows, [business]: { opensAt: event.data.opensAt, closesAt: event.data.closesAt } } };
      case 'BusinessWindowCleared': {
        const { [business]: _removed, ...rest } = state.windows;
        return { ...state, windows: rest };
      }
      default:
        return state;
    }
  },
};

/** Why a business is closed at `at`, as a Chinese message naming the window; null when open. */
export function businessClosed(settings: ProvinceSettings, business: Business, at: string): { code: string; message: string } | null {
  const label = BUSINESSES[business];
  if (settings.disabled.includes(business)) return { code: 'feature-disabled', message: `“${label}”功能已被省级管理员关闭，请联系省级教育行政部门开启后再办理` };
  const window = settings.windows[business];
  if (window && (Date.parse(at) < Date.parse(window.opensAt) || Date.parse(at) >= Date.parse(window.closesAt))) {
    return { code: 'outside-business-window', message: `“${label}”仅在 ${beijing(window.opensAt)} 至 ${beijing(window.closesAt)}（北京时间）开放，请在开放时间内办理，或联系省级管理员调整时间` };
  }
  return null;
}

/** ISO time shown in Beijing time, minute precision: what a registrar reads on screen. */
function beijing(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}

export const settingsStream = (provinceCode: string): string => `province-settings-${provinceCode}`;

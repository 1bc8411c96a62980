import { describe, expect, it } from '@jest/globals';
import { EventRegistry } from '../../shared/events/event-registry.js';
import { fold } from '../../shared/domain/decider.js';
import { deciderSpec } from '../../shared/testing/decider-spec.js';
import { type SettingsEvent, businessClosed, settingsDecider } from './province-settings.decider.js';
import { SETTINGS_EVENTS } from './settings.events.js';

const spec = deciderSpec(settingsDecider, new EventRegistry().register(SETTINGS_EVENTS));
const at = '2026-08-20T02:00:00.000Z';
const window = { opensAt: '2026-08-31T16:00:00.000Z', closesAt: '2026-10-15T16:00:00.000Z' };
const set: SettingsEvent = { type: 'BusinessWindowSet', data: { provinceCode: '410000', business: 'record-registration', ...window, at }, reason: '秋季新生注册' };
const off: SettingsEvent = { type: 'FeatureSwitched', data: { provinceCode: '410000', business: 'record-transfer', enabled: false, at }, reason: '系统维护' };

describe('province settings decider', () => {
  it('sets a window with its reason; setting the same window again changes nothing', () => {
    spec.given([]).when({ type: 'SetBusinessWindow', provinceCode: '410000', business: 'record-registration', window, reason: '秋季新生注册', at }).then([set]);
    spec.given([set]).when({ type: 'SetBusinessWindow', provinceCode: '410000', business: 'record-registration', window, reason: 'again', at }).then([]);
  });
  it('refuses a window that closes before it opens', () => {
    spec.given([]).when({ type: 'SetBusinessWindow', provinceCode: '410000', business: 'graduation', window: { opensAt: window.closesAt, closesAt: window.opensAt }, reason: 'x', at }).thenFails('validation-failed');
  });
  it('switches a business off and on, each change once', () => {
    spec.given([]).when({ type: 'SwitchFeature', provinceCode: '410000', business: 'record-transfer', enabled: false, reason: '系统维护', at }).then([off]);
    spec.given([off]).when({ type: 'SwitchFeature', provinceCode: '410000', business: 'record-transfer', enabled: false, reason: 'x', at }).then([]);
    spec.given([]).when({ type: 'SwitchFeature', provinceCode: '410000', business: 'record-transfer', enabled: true, reason: 'x', at }).then([]);
  });
  it('says why a business is closed, naming the window in Beijing time', () => {
    const state = fold(settingsDecider, [set, off]);
    expect(businessClosed(state, 'record-registration', '2026-08-31T15:59:59.000Z')).toEqual({ code: 'outside-business-window', message: '“幼儿学籍注册”仅在 2026-09-01 00:00 至 2026-10-16 00:00（北京时间）开放，请在开放时间内办理，或联系省级管理员调整时间' });
    expect(businessClosed(state, 'record-registration', '2026-09-01T00:00:00.000Z')).toBeNull();
    expect(businessClosed(state, 'record-transfer', at)?.code).toBe('feature-disabled');
    expect(businessClosed(state, 'graduation', at)).toBeNull();
  });
});

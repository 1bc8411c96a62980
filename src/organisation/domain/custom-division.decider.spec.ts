import { describe, expect, it } from '@jest/globals';
import { EventRegistry } from '../../shared/events/event-registry.js';
import { fold } from '../../shared/domain/decider.js';
import { deciderSpec } from '../../shared/testing/decider-spec.js';
import { type CustomDivisionEvent, customDivisionDecider, treeWith } from './custom-division.decider.js';
import { INSTITUTION_EVENTS } from './institution.events.js';

const spec = deciderSpec(customDivisionDecider, new EventRegistry().register(INSTITUTION_EVENTS));
const at = '2026-03-01T02:00:00.000Z';
const create = (code: string, name: string, parent: string) => ({ type: 'CreateCustomDivision' as const, code, name, parent, reason: '河南省申请', at });
const created = (code: string, name: string, parent: string): CustomDivisionEvent => ({ type: 'CustomDivisionCreated', data: { code, name, parent, createdAt: at }, reason: '河南省申请' });
const zone = created('410171', '郑州经济技术开发区', '410100');

describe('custom division decider', () => {
  it('creates a county-level zone under a prefecture, its name trimmed, with the reason', () => {
    spec.given([]).when(create('410171', ' 郑州经济技术开发区 ', '410100')).then([zone]);
    spec.given([zone]).when(create('410172', '郑州高新技术产业开发区', '410100')).then([created('410172', '郑州高新技术产业开发区', '410100')]);
  });

  it('the created zones join the division tree', () => {
    const state = fold(customDivisionDecider, [zone]);
    expect(state.divisions).toEqual([{ code: '410171', name: '郑州经济技术开发区', level: 'county', parent: '410100', custom: true }]);
    expect(treeWith(state.divisions).path('410171').map((d) => d.code)).toEqual(['410000', '410100', '410171']);
  });

  it('refuses a code already used, by GB/T 2260 or by an earlier zone, saying which', () => {
    const taken = spec.given([]).when(create('410102', '中原新区', '410100')).thenFails('validation-failed', 'validation');
    expect(taken.errors).toEqual([{ field: 'code', code: 'custom-division-refused', message: taken.message, value: '410102' }]);
    expect(taken.message).toContain('中原区');
    const again = spec.given([zone]).when(create('410171', '郑州经济技术开发区', '410100')).thenFails('validation-failed', 'validation');
    expect(again.message).toContain('已被使用');
  });

  it('refuses what is not a county-level zone under a prefecture of the same 4 digits', () => {
    const refused = (code: string, name: string, parent: string): string => spec.given([]).when(create(code, name, parent)).thenFails('validation-failed', 'validation').message;
    expect(refused('41017', '开发区', '410100')).toContain('6 位数字');
    expect(refused('410171', ' ', '410100')).toContain('名称');
    expect(refused('419971', '开发区', '419900')).toContain('不存在');
    expect(refused('410171', '开发区', '410102')).toContain('不是地级区划');
    expect(refused('410371', '开发区', '410100')).toContain('前 4 位');
  });
});

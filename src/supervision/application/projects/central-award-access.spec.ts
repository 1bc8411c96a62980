import { describe, expect, it } from '@jest/globals';
import type { Principal } from '../../../accounts/contracts/index.js';
import type { AppConfig } from '../../../config/app-config.js';
import type { CommandPath } from '../../../shared/command/command-path.js';
import { DomainError } from '../../../shared/domain/domain-error.js';
import { SettableClock } from '../../../shared/time/clock.js';
import { EnterCentralAward, EnterCentralAwardHandler } from './project.handlers.js';

const context = { actor: { accountId: 'a', role: 'business', organisationId: '000000' }, correlationId: 'c', causationId: null };
const principal = (level: Principal['level'], divisionCode: string, role: Principal['role']): Principal =>
  ({ accountId: 'a', username: 'u', realName: 'r', role, level, divisionCode, institutionCode: null, organisationId: divisionCode, sessionId: 's', mustChangePassword: false });

/** Who enters central award funds depends on the deployment (ADR 0027); the command path is a stub that records the stream. */
function handler(deploymentLevel: AppConfig['deploymentLevel']) {
  const streams: string[] = [];
  const commands = { run: async (args: { streamId: string }) => { streams.push(args.streamId); return { streamId: args.streamId, revision: 0, position: 1, events: [], state: { amount: null } }; } } as unknown as CommandPath;
  const h = new EnterCentralAwardHandler(commands, { deploymentLevel } as AppConfig, new SettableClock('2026-10-20T02:00:00.000Z'));
  const enter = async (who: Principal, provinceCode: string) => {
    try {
      await h.execute(new EnterCentralAward(who, provinceCode, 2026, '100', context));
      return 'ok';
    } catch (error) {
      return (error as DomainError).code;
    }
  };
  return { enter, streams };
}

describe('central award funds: who enters them', () => {
  it('a ministry deployment: the ministry, for any province; no province', async () => {
    const { enter, streams } = handler('ministry');
    expect(await enter(principal('ministry', '000000', 'business'), '420000')).toBe('ok');
    expect(await enter(principal('ministry', '000000', 'leader'), '420000')).toBe('leader-read-only');
    expect(await enter(principal('province', '410000', 'admin'), '410000')).toBe('ministry-only');
    expect(await enter(principal('ministry', '000000', 'business'), '410100')).toBe('validation-failed');
    expect(streams).toEqual(['central-award-420000-2026']);
  });

  it('a province deployment: the province administrator, for its own province only', async () => {
    const { enter, streams } = handler('province');
    expect(await enter(principal('province', '410000', 'admin'), '410000')).toBe('ok');
    expect(await enter(principal('province', '410000', 'business'), '410000')).toBe('province-admin-only');
    expect(await enter(principal('prefecture', '410100', 'admin'), '410000')).toBe('province-admin-only');
    expect(await enter(principal('province', '410000', 'admin'), '420000')).toBe('validation-failed');
    expect(streams).toEqual(['central-award-410000-2026']);
  });
});

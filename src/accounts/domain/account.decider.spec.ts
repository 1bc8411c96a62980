import { describe, expect, it } from '@jest/globals';
import { EventRegistry } from '../../shared/events/event-registry.js';
import { deciderSpec } from '../../shared/testing/decider-spec.js';
import { type AccountCommand, type AccountEvent, accountDecider } from './account.decider.js';
import { DEFAULT_POLICY, checkPasswordStrength } from './account-policy.js';
import { ACCOUNT_EVENTS } from './account.events.js';

const registry = new EventRegistry().register(ACCOUNT_EVENTS);
const spec = deciderSpec(accountDecider, registry);

const t0 = '2026-09-01T08:00:00.000Z';
const later = (minutes: number): string => new Date(Date.parse(t0) + minutes * 60_000).toISOString();
const hash = (n: number): string => `scrypt$32768$8$1$c2FsdA$${'h'.repeat(10)}${n}`;
const sid = (n: number): string => `0b6f3f5e-8a47-4c35-9a53-2f1f4c1f9a1${n}`;
const token = 'b'.repeat(64);

const created: AccountEvent = {
  type: 'AccountCreated',
  data: {
    accountId: '5b1b0e4e-2f59-4f3c-8d0c-0c7e0d8e9a11', username: '1141010001-review', realName: '李老师', level: 'institution', role: 'review',
    divisionCode: '410102', institutionCode: '1141010001', passwordHash: hash(1), createdAt: t0,
  },
};
const login = (at: string, passwordOk = true, n = 1, extra: { lockedUntil?: string; rehashedPasswordHash?: string } = {}): AccountCommand => ({
  type: 'LogIn', at, policy: DEFAULT_POLICY, passwordOk, sessionId: sid(n), tokenHash: token, lockedUntil: extra.lockedUntil ?? null, rehashedPasswordHash: extra.rehashedPasswordHash ?? null,
});
const succeeded = (at: string, n = 1, mustChangePassword = true): AccountEvent => ({
  type: 'LoginSucceeded',
  data: { sessionId: sid(n), tokenHash: token, startedAt: at, expiresAt: new Date(Date.parse(at) + 8 * 3600_000).toISOString(), mustChangePassword },
});
const changed: AccountEvent = { type: 'PasswordChanged', data: { passwordHash: hash(2), changedAt: later(1) } };
const failed = (n: number, at = later(2)): AccountEvent => ({ type: 'LoginFailed', data: { at, failedAttempts: n } });

describe('account decider', () => {
  describe('creation', () => {
    it('creates an account that must change its initial password', () => {
      const { createdAt: _c, ...fields } = created.data as Record<string, unknown>;
      spec.given([]).when({ type: 'CreateAccount', ...fields, at: t0 } as AccountCommand).then([created]);
      spec.given([created]).thenState({ exists: true, mustChangePassword: true, role: 'review', institutionCode: '1141010001' });
    });
    it('refuses to create it twice', () => {
      spec.given([created]).when({ type: 'CreateAccount', ...(created.data as Record<string, unknown>), at: t0 } as AccountCommand).thenFails('account-exists', 'conflict');
    });
    it('refuses a leader account at the institution level', () => {
      spec.given([]).when({ type: 'CreateAccount', ...(created.data as Record<string, unknown>), role: 'leader', at: t0 } as AccountCommand).thenFails('validation-failed', 'validation');
    });
    it('refuses an institution code on a county account', () => {
      spec.given([]).when({ type: 'CreateAccount', ...(created.data as Record<string, unknown>), level: 'county', at: t0 } as AccountCommand).thenFails('validation-failed');
    });
  });

  describe('login', () => {
    it('opens a session and says the initial password must be changed', () => {
      spec.given([created]).when(login(later(1))).then([succeeded(later(1))]);
    });
    it('after a password change, a login no longer asks for one', () => {
      spec.given([created, changed]).when(login(later(5))).then([succeeded(later(5), 1, false)]);
    });
    it('asks for a change when the password is older than the policy allows', () => {
      spec.given([created, changed]).when(login(later(91 * 24 * 60))).then([succeeded(later(91 * 24 * 60), 1, true)]);
    });
    it('records a failed attempt on a wrong password', () => {
      spec.given([created]).when(login(later(2), false)).then([failed(1)]);
    });
    it('no longer locks the account by itself after five failures: the throttle decides', () => {
      spec.given([created, failed(1), failed(2), failed(3), failed(4)]).when(login(later(2), false)).then([failed(5)]);
    });
    it('records the throttle refusing the account for everyone, once per new end time', () => {
      spec.given([created, failed(1)]).when(login(later(2), false, 1, { lockedUntil: later(3) })).then([
        failed(2),
        { type: 'AccountLocked', data: { at: later(2), lockedUntil: later(3) } },
      ]);
      spec.given([created, { type: 'AccountLocked', data: { at: later(2), lockedUntil: later(3) } }]).when(login(later(4), false, 1, { lockedUntil: later(3) })).then([failed(1, later(4))]);
    });
    it('counts a wrong current password at a password change as a failed login', () => {
      spec.given([created, failed(1)]).when({ type: 'RecordFailedPasswordCheck', at: later(2), lockedUntil: null }).then([failed(2)]);
    });
    it('upgrades the hash at a successful login without counting it as a password change', () => {
      const rehashed: AccountEvent = { type: 'PasswordRehashed', data: { passwordHash: hash(9), at: later(5) } };
      spec.given([created, changed]).when(login(later(5), true, 1, { rehashedPasswordHash: hash(9) })).then([succeeded(later(5), 1, false), rehashed]);
      spec.given([created, changed, rehashed]).thenState({ passwordHash: hash(9), passwordChangedAt: later(1), recentPasswordHashes: [hash(9), hash(1)] });
    });
    it('does not tell a stranger with a wrong password that the account is disabled', () => {
      spec.given([created, { type: 'AccountDisabled', data: { at: later(1) }, reason: '机构已撤销' }]).when(login(later(2), false)).then([failed(1)]);
    });
    it('refuses even the right password while locked, and accepts it after the lock', () => {
      const locked: AccountEvent = { type: 'AccountLocked', data: { at: later(2), lockedUntil: later(32) } };
      spec.given([created, locked]).when(login(later(10))).then([{ type: 'LoginRefused', data: { at: later(10), cause: 'account-locked' } }]);
      spec.given([created, locked]).when(login(later(40))).then([succeeded(later(40))]);
    });
    it('a successful login resets the failure count', () => {
      spec.given([created, failed(1), failed(2), succeeded(later(3))]).thenState({ failedAttempts: 0 });
    });
    it('refuses a second login while a session is live, and allows it once that one expired', () => {
      spec.given([created, succeeded(later(1))]).when(login(later(30), true, 2)).then([{ type: 'LoginRefused', data: { at: later(30), cause: 'session-live' } }]);
      spec.given([created, succeeded(later(1))]).when(login(later(9 * 60), true, 2)).then([succeeded(later(9 * 60), 2)]);
    });
    it('refuses a disabled account', () => {
      spec.given([created, { type: 'AccountDisabled', data: { at: later(1) }, reason: '机构已撤销' }]).when(login(later(2))).then([{ type: 'LoginRefused', data: { at: later(2), cause: 'account-disabled' } }]);
    });
    it('refuses an unknown account', () => {
      spec.given([]).when(login(t0)).thenFails('account-not-found', 'not_found');
    });
  });

  describe('sessions', () => {
    it('logs out the live session, and ignores a stale session id', () => {
      spec.given([created, succeeded(later(1))]).when({ type: 'LogOut', sessionId: sid(1), at: later(5) }).then([{ type: 'SessionEnded', data: { sessionId: sid(1), at: later(5), cause: 'logout' } }]);
      spec.given([created, succeeded(later(1))]).when({ type: 'LogOut', sessionId: sid(7), at: later(5) }).then([]);
    });
    it('kicks out a live session with the reason, and does nothing without one', () => {
      spec.given([created, succeeded(later(1))]).when({ type: 'KickOut', at: later(5), reason: '账号借用未登记' }).then([
        { type: 'SessionEnded', data: { sessionId: sid(1), at: later(5), cause: 'kicked' }, reason: '账号借用未登记' },
      ]);
      spec.given([created]).when({ type: 'KickOut', at: later(5), reason: 'x' }).then([]);
    });
    it('ends a session that went unused too long, once', () => {
      spec.given([created, succeeded(later(1))]).when({ type: 'EndIdleSession', sessionId: sid(1), at: later(40) }).then([{ type: 'SessionEnded', data: { sessionId: sid(1), at: later(40), cause: 'idle' } }]);
      spec.given([created, succeeded(later(1)), { type: 'SessionEnded', data: { sessionId: sid(1), at: later(40), cause: 'idle' } }]).when({ type: 'EndIdleSession', sessionId: sid(1), at: later(41) }).then([]);
    });
    it('allows a new login right after a kick-out', () => {
      const kicked: AccountEvent = { type: 'SessionEnded', data: { sessionId: sid(1), at: later(5), cause: 'kicked' } };
      spec.given([created, succeeded(later(1)), kicked]).when(login(later(6), true, 2)).then([succeeded(later(6), 2)]);
    });
  });

  describe('passwords', () => {
    it('changes the password when the current one is right and the new one is not recent', () => {
      spec.given([created]).when({ type: 'ChangePassword', at: later(1), currentPasswordOk: true, reusesRecentPassword: false, newPasswordHash: hash(2) }).then([changed]);
      spec.given([created, changed]).thenState({ mustChangePassword: false, recentPasswordHashes: [hash(2), hash(1)] });
    });
    it('refuses a wrong current password and a reused one, naming the field', () => {
      const wrong = spec.given([created]).when({ type: 'ChangePassword', at: later(1), currentPasswordOk: false, reusesRecentPassword: false, newPasswordHash: hash(2) }).thenFails('validation-failed');
      expect(wrong.errors[0]).toMatchObject({ field: 'currentPassword', code: 'wrong-password' });
      const reused = spec.given([created]).when({ type: 'ChangePassword', at: later(1), currentPasswordOk: true, reusesRecentPassword: true, newPasswordHash: hash(1) }).thenFails('validation-failed');
      expect(reused.errors[0]).toMatchObject({ field: 'newPassword', code: 'password-reused' });
    });
    it('a reset ends the live session, unlocks, and forces a change at the next login', () => {
      const locked: AccountEvent = { type: 'AccountLocked', data: { at: later(2), lockedUntil: later(32) } };
      spec.given([created, changed, succeeded(later(3)), locked]).when({ type: 'ResetPassword', at: later(4), newPasswordHash: hash(3), byAccountId: 'admin-1', reason: '忘记密码' }).then([
        { type: 'SessionEnded', data: { sessionId: sid(1), at: later(4), cause: 'password-reset' } },
        { type: 'PasswordReset', data: { passwordHash: hash(3), resetAt: later(4), byAccountId: 'admin-1' }, reason: '忘记密码' },
      ]);
      spec.given([created, changed, locked, { type: 'PasswordReset', data: { passwordHash: hash(3), resetAt: later(4), byAccountId: 'admin-1' } }]).thenState({
        mustChangePassword: true, lockedUntil: null, session: null, passwordHash: hash(3),
      });
    });
  });

  describe('disable and enable', () => {
    it('disables with the reason and ends the live session; disabling twice changes nothing', () => {
      spec.given([created, succeeded(later(1))]).when({ type: 'DisableAccount', at: later(2), reason: '机构已撤销' }).then([
        { type: 'SessionEnded', data: { sessionId: sid(1), at: later(2), cause: 'account-disabled' } },
        { type: 'AccountDisabled', data: { at: later(2) }, reason: '机构已撤销' },
      ]);
      const disabled: AccountEvent = { type: 'AccountDisabled', data: { at: later(2) }, reason: '机构已撤销' };
      spec.given([created, disabled]).when({ type: 'DisableAccount', at: later(3), reason: 'x' }).then([]);
      spec.given([created, disabled]).thenState({ disabled: true, disabledReason: '机构已撤销' });
    });
    it('enables a disabled account', () => {
      spec.given([created, { type: 'AccountDisabled', data: { at: later(2) } }]).when({ type: 'EnableAccount', at: later(3), reason: '机构恢复' }).then([
        { type: 'AccountEnabled', data: { at: later(3) }, reason: '机构恢复' },
      ]);
    });
  });
});

describe('password strength', () => {
  it('accepts a password with three character classes and enough length', () => {
    expect(checkPasswordStrength('Kinder2026', DEFAULT_POLICY)).toEqual([]);
  });
  it('names every rule a weak password breaks, in Chinese', () => {
    const errors = checkPasswordStrength('abc', DEFAULT_POLICY);
    expect(errors.map((e) => e.code)).toEqual(['password-too-short', 'password-too-simple']);
    for (const e of errors) expect(e.message).toMatch(/[\u4e00-\u9fff]/);
    expect(checkPasswordStrength('Zhangsan2026', DEFAULT_POLICY, 'zhangsan').map((e) => e.code)).toEqual(['password-contains-username']);
  });
  it('refuses a password the given list calls common', () => {
    const common = (p: string): boolean => p.toLowerCase() === 'password1!';
    expect(checkPasswordStrength('Password1!', DEFAULT_POLICY, undefined, common).map((e) => e.code)).toEqual(['password-common']);
  });
});

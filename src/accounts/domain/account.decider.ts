import type { Decider, DomainEvent } from '../../shared/domain/decider.js';
import { conflict, invalid, notFound } from '../../shared/domain/domain-error.js';
import type { AccountState, Level, Role } from './account.js';
import { type AccountPolicy, passwordExpired } from './account-policy.js';

// Events: business facts in the past tense. Password hashes are scrypt strings (never the password).
export type AccountEvent =
  | DomainEvent<'AccountCreated', {
      accountId: string; username: string; realName: string; level: Level; role: Role;
      divisionCode: string; institutionCode: string | null; passwordHash: string; createdAt: string;
    }>
  | DomainEvent<'LoginSucceeded', { sessionId: string; tokenHash: string; startedAt: string; expiresAt: string; mustChangePassword: boolean }>
  | DomainEvent<'LoginFailed', { at: string; failedAttempts: number }>
  | DomainEvent<'LoginRefused', { at: string; cause: 'account-disabled' | 'account-locked' | 'session-live' }>
  | DomainEvent<'AccountLocked', { at: string; lockedUntil: string }>
  | DomainEvent<'SessionEnded', { sessionId: string; at: string; cause: 'logout' | 'kicked' | 'password-reset' | 'account-disabled' }>
  | DomainEvent<'PasswordChanged', { passwordHash: string; changedAt: string }>
  | DomainEvent<'PasswordReset', { passwordHash: string; resetAt: string; byAccountId: string }>
  | DomainEvent<'AccountDisabled', { at: string }>
  | DomainEvent<'AccountEnabled', { at: string }>;

export type AccountCommand =
  | {
      type: 'CreateAccount'; accountId: string; username: string; realName: string; level: Level; role: Role;
      divisionCode: string; institutionCode: string | null; passwordHash: string; at: string;
    }
  | {
      type: 'LogIn'; at: string; policy: AccountPolicy;
      /** the handler verified the password against the stored hash (slow KDF stays out of the decider) */
      passwordOk: boolean;
      sessionId: string; tokenHash: string;
    }
  | { type: 'LogOut'; sessionId: string; at: string }
  | { type: 'KickOut'; at: string; reason: string }
  | {
      type: 'ChangePassword'; at: string;
      currentPasswordOk: boolean;
      /** the new password matches one of the recent hashes (checked by the handler) */
      reusesRecentPassword: boolean;
      newPasswordHash: string;
    }
  | { type: 'ResetPassword'; at: string; newPasswordHash: string; byAccountId: string; reason: string }
  | { type: 'DisableAccount'; at: string; reason: string }
  | { type: 'EnableAccount'; at: string; reason: string };

export const initialAccount: AccountState = {
  exists: false, accountId: '', username: '', realName: '', level: 'institution', role: 'business',
  divisionCode: '', institutionCode: null, passwordHash: null, passwordChangedAt: null, mustChangePassword: false,
  recentPasswordHashes: [], failedAttempts: 0, lockedUntil: null, disabled: false, disabledReason: null, session: null,
};

const HISTORY_KEPT = 24;

const isLive = (state: AccountState, at: string): boolean => state.session !== null && Date.parse(state.session.expiresAt) > Date.parse(at);
const isLocked = (state: AccountState, at: string): boolean => state.lockedUntil !== null && Date.parse(state.lockedUntil) > Date.parse(at);
const addMinutes = (at: string, minutes: number): string => new Date(Date.parse(at) + minutes * 60_000).toISOString();

function mustExist(state: AccountState): void {
  if (!state.exists) throw notFound('account-not-found', '账号不存在');
}

export const accountDecider: Decider<AccountCommand, AccountState, AccountEvent> = {
  initialState: initialAccount,

  decide(command, state) {
    switch (command.type) {
      case 'CreateAccount': {
        if (state.exists) throw conflict('account-exists', '该账号已存在');
        if (command.role === 'leader' && command.level === 'institution') {
          throw invalid([{ field: 'role', code: 'leader-not-at-institution', message: '机构级没有领导账号' }]);
        }
        if ((command.level === 'institution') !== (command.institutionCode !== null)) {
          throw invalid([{ field: 'institutionCode', code: 'institution-code-mismatch', message: '机构级账号必须且只有机构级账号需要机构标识码' }]);
        }
        const { type: _type, at, ...fields } = command;
        return [{ type: 'AccountCreated', data: { ...fields, createdAt: at } }];
      }

      case 'LogIn': {
        mustExist(state);
        const at = command.at;
        if (state.disabled) return [{ type: 'LoginRefused', data: { at, cause: 'account-disabled' } }];
        if (isLocked(state, at)) return [{ type: 'LoginRefused', data: { at, cause: 'account-locked' } }];
        if (!command.passwordOk) {
          const failedAttempts = state.failedAttempts + 1;
          const events: AccountEvent[] = [{ type: 'LoginFailed', data: { at, failedAttempts } }];
          if (failedAttempts >= command.policy.maxFailedAttempts) {
            events.push({ type: 'AccountLocked', data: { at, lockedUntil: addMinutes(at, command.policy.lockMinutes) } });
          }
          return events;
        }
        if (isLive(state, at)) return [{ type: 'LoginRefused', data: { at, cause: 'session-live' } }];
        return [{
          type: 'LoginSucceeded',
          data: {
            sessionId: command.sessionId,
            tokenHash: command.tokenHash,
            startedAt: at,
            expiresAt: addMinutes(at, command.policy.sessionHours * 60),
            mustChangePassword: state.mustChangePassword || passwordExpired(state.passwordChangedAt, at, command.policy),
          },
        }];
      }

      case 'LogOut':
        mustExist(state);
        if (!state.session || state.session.sessionId !== command.sessionId) return [];
        return [{ type: 'SessionEnded', data: { sessionId: command.sessionId, at: command.at, cause: 'logout' } }];

      case 'KickOut':
        mustExist(state);
        if (!isLive(state, command.at)) return [];
        return [{ type: 'SessionEnded', data: { sessionId: state.session!.sessionId, at: command.at, cause: 'kicked' }, reason: command.reason }];

      case 'ChangePassword':
        mustExist(state);
        if (!command.currentPasswordOk) {
          throw invalid([{ field: 'currentPassword', code: 'wrong-password', message: '原密码不正确' }], '原密码不正确，密码未修改');
        }
        if (command.reusesRecentPassword) {
          throw invalid([{ field: 'newPassword', code: 'password-reused', message: '新密码不能与最近使用过的密码相同' }], '新密码不能与最近使用过的密码相同');
        }
        return [{ type: 'PasswordChanged', data: { passwordHash: command.newPasswordHash, changedAt: command.at } }];

      case 'ResetPassword': {
        mustExist(state);
        const events: AccountEvent[] = [];
        if (isLive(state, command.at)) {
          events.push({ type: 'SessionEnded', data: { sessionId: state.session!.sessionId, at: command.at, cause: 'password-reset' } });
        }
        events.push({ type: 'PasswordReset', data: { passwordHash: command.newPasswordHash, resetAt: command.at, byAccountId: command.byAccountId }, reason: command.reason });
        return events;
      }

      case 'DisableAccount': {
        mustExist(state);
        if (state.disabled) return [];
        const events: AccountEvent[] = [];
        if (isLive(state, command.at)) {
          events.push({ type: 'SessionEnded', data: { sessionId: state.session!.sessionId, at: command.at, cause: 'account-disabled' } });
        }
        events.push({ type: 'AccountDisabled', data: { at: command.at }, reason: command.reason });
        return events;
      }

      case 'EnableAccount':
        mustExist(state);
        if (!state.disabled) return [];
        return [{ type: 'AccountEnabled', data: { at: command.at }, reason: command.reason }];
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'AccountCreated': {
        const { passwordHash, createdAt, ...placement } = event.data;
        return {
          ...state, ...placement, exists: true, passwordHash, passwordChangedAt: createdAt,
          mustChangePassword: true, recentPasswordHashes: [passwordHash],
        };
      }
      case 'LoginSucceeded': {
        const { sessionId, tokenHash, startedAt, expiresAt } = event.data;
        return { ...state, failedAttempts: 0, lockedUntil: null, session: { sessionId, tokenHash, startedAt, expiresAt } };
      }
      case 'LoginFailed':
        return { ...state, failedAttempts: event.data.failedAttempts };
      case 'AccountLocked':
        return { ...state, lockedUntil: event.data.lockedUntil, failedAttempts: 0 };
      case 'SessionEnded':
        return state.session?.sessionId === event.data.sessionId ? { ...state, session: null } : state;
      case 'PasswordChanged':
        return {
          ...state, passwordHash: event.data.passwordHash, passwordChangedAt: event.data.changedAt, mustChangePassword: false,
          recentPasswordHashes: [event.data.passwordHash, ...state.recentPasswordHashes].slice(0, HISTORY_KEPT),
        };
      case 'PasswordReset':
        return {
          ...state, passwordHash: event.data.passwordHash, passwordChangedAt: event.data.resetAt, mustChangePassword: true,
          failedAttempts: 0, lockedUntil: null, session: null,
          recentPasswordHashes: [event.data.passwordHash, ...state.recentPasswordHashes].slice(0, HISTORY_KEPT),
        };
      case 'AccountDisabled':
        return { ...state, disabled: true, disabledReason: event.reason ?? null, session: null };
      case 'AccountEnabled':
        return { ...state, disabled: false, disabledReason: null };
      default:
        return state;
    }
  },
};

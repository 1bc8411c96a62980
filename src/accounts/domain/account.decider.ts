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
  | DomainEvent<'SessionEnded', { sessionId: string; at: string; cause: 'logout' | 'kicked' | 'password-reset' | 'account-disabled' | 'idle' }>
  | DomainEvent<'PasswordChanged', { passwordHash: string; changedAt: string }>
  /** the same password hashed again at a higher cost (at a login): not a password change */
  | DomainEvent<'PasswordRehashed', { passwordHash: string; at: string }>
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
      /** a failure made the login throttle refuse this account for everyone until then (the handler's throttle decides) */
      lockedUntil: string | null;
      /** the password hashed again at the configured cost, when the stored hash is cheaper */
      rehashedPasswordHash: string | null;
    }
  /** a wrong current password on a password change counts as a failed login */
  | { type: 'RecordFailedPasswordCheck'; at: string; lockedUntil: string | null }
  | { type: 'LogOut'; sessionId: string; at: string }
  /** the session went unused longer than the idle limit (the handler keeps the last-seen times) */
  | { type: 'EndIdleSession'; sessionId: string; at: string }
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

export const accountStream = (accountId: string): string => `account-${accountId}`;

export const initialAccount: AccountState = {
  exists: false, accountId: '', username: '', realName: '', level: 'institution', role: 'business',
  divisionCode: '', institutionCode: null, passwordHash: null, passwordChangedAt: null, mustChangePassword: false,
  recentPasswordHashes: [], failedAttempts: 0, lockedUntil: null, disabled: false, disabledReason: null, session: null,
};

const HISTORY_KEPT = 24;

const isLive = (state: AccountState, at: string): boolean => state.session !== null && Date.parse(state.session.expiresAt) > Date.parse(at);
const isLocked = (state: AccountState, at: string): boolean => state.lockedUntil !== null && Date.parse(state.lockedUntil) > Date.parse(at);
const addMinutes = (at: string, minutes: number): string => new Date(Date.parse(at) + minutes * 60_000).toISOString();

/** A failed password check; the throttle's refusal of the account is recorded once per new end time. */
function failure(state: AccountState, at: string, lockedUntil: string | null): AccountEvent[] {
  const events: AccountEvent[] = [{ type: 'LoginFailed', data: { at, failedAttempts: state.failedAttempts + 1 } }];
  if (lockedUntil && (!state.lockedUntil || Date.parse(lockedUntil) > Date.parse(state.lockedUntil))) events.push({ type: 'AccountLocked', data: { at, lockedUntil } });
  return events;
}

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
        if (command.role === 'school-registrar' && command.level !== 'institution') {
          throw invalid([{ field: 'role', code: 'school-registrar-at-school', message: '小学学籍管理员账号只属于小学（机构级）' }]);
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
        if (isLocked(state, at)) return [{ type: 'LoginRefused', data: { at, cause: 'account-locked' } }];
        // a wrong password is a failure whatever the account's state: a disabled account must not tell a stranger it exists
        if (!command.passwordOk) return failure(state, at, command.lockedUntil);
        if (state.disabled) return [{ type: 'LoginRefused', data: { at, cause: 'account-disabled' } }];
        if (isLive(state, at)) return [{ type: 'LoginRefused', data: { at, cause: 'session-live' } }];
        const rehashed: AccountEvent[] = command.rehashedPasswordHash ? [{ type: 'PasswordRehashed', data: { passwordHash: command.rehashedPasswordHash, at } }] : [];
        return [{
          type: 'LoginSucceeded',
          data: {
            sessionId: command.sessionId,
            tokenHash: command.tokenHash,
            startedAt: at,
            expiresAt: addMinutes(at, command.policy.sessionHours * 60),
            mustChangePassword: state.mustChangePassword || passwordExpired(state.passwordChangedAt, at, command.policy),
          },
        }, ...rehashed];
      }

      case 'RecordFailedPasswordCheck':
        mustExist(state);
        return failure(state, command.at, command.lockedUntil);

      case 'EndIdleSession':
        mustExist(state);
        if (state.session?.sessionId !== command.sessionId) return [];
        return [{ type: 'SessionEnded', data: { sessionId: command.sessionId, at: command.at, cause: 'idle' } }];

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
        return { ...state, lockedUntil: event.data.lockedUntil };
      case 'SessionEnded':
        return state.session?.sessionId === event.data.sessionId ? { ...state, session: null } : state;
      case 'PasswordRehashed':
        return { ...state, passwordHash: event.data.passwordHash, recentPasswordHashes: [event.data.passwordHash, ...state.recentPasswordHashes.slice(1)] };
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

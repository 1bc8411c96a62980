import { timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { type CommandContext, CommandPath } from '../../shared/command/command-path.js';
import { RecentStates } from '../../shared/command/recent-states.js';
import { conflict, forbidden, invalid, throttled, unauthenticated } from '../../shared/domain/domain-error.js';
import { KEYED_HASHER, type KeyedHasher } from '../../shared/personal-data/keyed-hash.js';
import { beijingDate, beijingHoursMinutes } from '../../shared/time/beijing.js';
import { CLOCK, type Clock, isoNow } from '../../shared/time/clock.js';
import type { AccountState } from '../domain/account.js';
import { type AccountCommand, accountDecider, accountStream } from '../domain/account.decider.js';
import { DEFAULT_POLICY, checkPasswordStrength, passwordExpired } from '../domain/account-policy.js';
import { securityLogDecider, securityLogStream } from '../domain/security-log.decider.js';
import { normaliseUsername, usernameDecider, usernameStream } from '../domain/username.decider.js';
import { isCommonPassword } from './common-passwords.js';
import { LoginThrottle } from './login-throttle.js';
import { PasswordHasher } from './password-hasher.js';
import type { Principal } from './principal.js';
import { SessionActivity } from './session-activity.js';
import { hashSecret, issueToken, parseToken } from './session-token.js';

/** Why a bearer token does not open the door. */
export type SessionCheck = { principal: Principal } | { refused: 'invalid' | 'idle' };

/**
 * Login, the session behind each request, password changes and logout (ADR 5, ADR 13). Failed
 * passwords are throttled per account and per address before the slow hash is even computed;
 * an unknown username goes through exactly the same steps and answers, so none tells which exist.
 */
/**
 * How long a session check may answer from the account state it cached without asking the store
 * (ADR 0028). Writes of this process (logout, kick-out, disable, reset, password change) drop the
 * cached state at once; this bounds only how late a write by another process (a second instance,
 * a command-line tool) is seen.
 */
export const SESSION_CACHE_MS = 1000;
const SESSION_CACHE_ACCOUNTS = 50_000;

@Injectable()
export class SessionService {
  private readonly policy = DEFAULT_POLICY;
  /** account states the session check read last, by account id */
  private readonly checked: RecentStates<AccountState>;

  constructor(
    private readonly commands: CommandPath,
    private readonly hasher: PasswordHasher,
    private readonly throttle: LoginThrottle,
    private readonly activity: SessionActivity,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(KEYED_HASHER) private readonly keyedHasher: KeyedHasher,
  ) {
    this.checked = new RecentStates(commands, ACCOUNT_STREAM_PREFIX, accountDecider, { ttlMs: SESSION_CACHE_MS, limit: SESSION_CACHE_ACCOUNTS });
  }

  /** The account behind a session check: the cached state while fresh, else one stream read. */
  private sessionAccount(accountId: string, now: number): Promise<AccountState> {
    return this.checked.get(accountId, now);
  }

  private async account(username: string): Promise<AccountState | null> {
    const accountId = (await this.commands.load(usernameStream(username), usernameDecider)).state.accountId;
    if (!accountId) return null;
    const { state } = await this.commands.load(accountStream(accountId), accountDecider);
    return state.exists ? state : null;
  }

  private run(state: AccountState, command: AccountCommand, context: Omit<CommandContext, 'actor'>) {
    const actor = { accountId: state.accountId, role: state.role, organisationId: organisationOf(state) };
    return this.commands.run({ streamId: accountStream(state.accountId), decider: accountDecider, command, context: { ...context, actor } });
  }

  /** `address`: the client's address (null for the service's own command-line tools). */
  async login(username: string, password: string, context: Omit<CommandContext, 'actor'>, address: string | null = null) {
    this.refuseWhileThrottled(username, address);
    const state = await this.account(username);
    const passwordOk = await this.hasher.verify(password, state?.passwordHash ?? null);
    const at = isoNow(this.clock);
    if (!passwordOk || !state) {
      const lockedUntil = this.throttle.failed(username, address);
      if (state) await this.run(state, { type: 'LogIn', at, policy: this.policy, passwordOk: false, sessionId: '', tokenHash: '', lockedUntil: lockedUntil?.toISOString() ?? null, rehashedPasswordHash: null }, context);
      else await this.recordUnknownAccount(username, at, context);
      throw loginFailed();
    }
    this.throttle.succeeded(username, address);
    if (state.session && this.activity.isIdle(state.session)) {
      await this.run(state, { type: 'EndIdleSession', sessionId: state.session.sessionId, at }, context);
    }
    const issued = issueToken(state.accountId);
    const rehashedPasswordHash = this.hasher.needsRehash(state.passwordHash) ? await this.hasher.hash(password) : null;
    const command: AccountCommand = { type: 'LogIn', at, policy: this.policy, passwordOk, sessionId: issued.sessionId, tokenHash: issued.tokenHash, lockedUntil: null, rehashedPasswordHash };
    const outcome = await this.run(state, command, context);
    const event = outcome.events.find((e) => e.type === 'LoginSucceeded' || e.type === 'LoginRefused');
    if (event?.type === 'LoginSucceeded') {
      this.activity.touch(issued.sessionId);
      return { token: issued.token, accountId: state.accountId, expiresAt: String(event.data['expiresAt']), mustChangePassword: Boolean(event.data['mustChangePassword']), position: outcome.position };
    }
    const cause = event?.data['cause'];
    if (cause === 'account-disabled') throw forbidden('account-disabled', `该账号已停用${state.disabledReason ? `：${state.disabledReason}` : ''}，无法登录`);
    if (cause === 'account-locked' && state.lockedUntil) throw tooManyFailures(new Date(state.lockedUntil), this.clock);
    throw conflict('session-live', '该账号已在其他地方登录。请先在原处退出，或请管理员将其踢出后再登录');
  }

  /** A failed login no account stream records: the day's security log does, with the address in the metadata. */
  private recordUnknownAccount(username: string, at: string, context: Omit<CommandContext, 'actor'>) {
    const usernameHash = this.keyedHasher.hash('login-username', normaliseUsername(username));
    return this.commands.run({
      streamId: securityLogStream(beijingDate(at)), decider: securityLogDecider,
      command: { type: 'RecordUnknownAccountLogin', usernameHash, at }, context: { ...context, actor: { accountId: 'anonymous', role: 'anonymous', organisationId: 'none' } },
    });
  }

  /** The principal behind a bearer token; a session unused for longer than the idle limit is ended here. */
  async check(token: string, correlationId: string): Promise<SessionCheck> {
    const parsed = parseToken(token);
    if (!parsed) return { refused: 'invalid' };
    const now = this.clock.now();
    const state = await this.sessionAccount(parsed.accountId, now.getTime());
    const session = state.session;
    if (!state.exists || state.disabled || !session || session.sessionId !== parsed.sessionId) return { refused: 'invalid' };
    if (Date.parse(session.expiresAt) <= now.getTime()) return { refused: 'invalid' };
    const expected = Buffer.from(session.tokenHash, 'hex');
    const actual = Buffer.from(hashSecret(parsed.secret), 'hex');
    if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return { refused: 'invalid' };
    if (this.activity.isIdle(session)) {
      await this.run(state, { type: 'EndIdleSession', sessionId: session.sessionId, at: now.toISOString() }, { correlationId, causationId: null });
      this.activity.forget(session.sessionId);
      return { refused: 'idle' };
    }
    this.activity.touch(session.sessionId);
    const expired = passwordExpired(state.passwordChangedAt, now.toISOString(), this.policy);
    return {
      principal: {
        accountId: state.accountId, username: state.username, realName: state.realName, role: state.role, level: state.level,
        divisionCode: state.divisionCode, institutionCode: state.institutionCode, organisationId: organisationOf(state),
        sessionId: session.sessionId, mustChangePassword: state.mustChangePassword || expired,
      },
    };
  }

  /** The principal behind a live token, or null (the command-line tools use it). */
  async authenticate(token: string): Promise<Principal | null> {
    const checked = await this.check(token, 'authenticate');
    return 'principal' in checked ? checked.principal : null;
  }

  get idleMinutes(): number {
    return this.activity.idleMinutes;
  }

  /** A wrong current password counts as a failed login, throttled like one. */
  async changePassword(principal: Principal, currentPassword: string, newPassword: string, context: CommandContext, address: string | null = null) {
    this.refuseWhileThrottled(principal.username, address);
    const { state } = await this.commands.load(accountStream(principal.accountId), accountDecider);
    const weak = checkPasswordStrength(newPassword, this.policy, state.username, isCommonPassword);
    if (weak.length > 0) throw invalid(weak, '新密码不符合密码规则，请按提示修改');
    const at = isoNow(this.clock);
    if (!(await this.hasher.verify(currentPassword, state.passwordHash))) {
      const lockedUntil = this.throttle.failed(principal.username, address);
      await this.run(state, { type: 'RecordFailedPasswordCheck', at, lockedUntil: lockedUntil?.toISOString() ?? null }, context);
      throw invalid([{ field: 'currentPassword', code: 'wrong-password', message: '原密码不正确' }], '原密码不正确，密码未修改');
    }
    let reusesRecentPassword = false;
    for (const old of state.recentPasswordHashes.slice(0, this.policy.historySize)) {
      if (await this.hasher.verify(newPassword, old)) reusesRecentPassword = true;
    }
    const newPasswordHash = await this.hasher.hash(newPassword);
    return this.commands.run({ streamId: accountStream(principal.accountId), decider: accountDecider, command: { type: 'ChangePassword', at, currentPasswordOk: true, reusesRecentPassword, newPasswordHash }, context });
  }

  logout(principal: Principal, context: CommandContext) {
    this.activity.forget(principal.sessionId);
    return this.commands.run({ streamId: accountStream(principal.accountId), decider: accountDecider, command: { type: 'LogOut', sessionId: principal.sessionId, at: isoNow(this.clock) }, context });
  }

  /** An administrator's password reset lifts the throttle's refusals of the account. */
  liftThrottle(username: string): void {
    this.throttle.lift(username);
  }

  private refuseWhileThrottled(username: string, address: string | null): void {
    const until = this.throttle.refusedUntil(username, address);
    if (until) throw tooManyFailures(until, this.clock);
  }
}

const ACCOUNT_STREAM_PREFIX = accountStream('');

export const organisationOf = (state: Pick<AccountState, 'institutionCode' | 'divisionCode'>): string => state.institutionCode ?? state.divisionCode;
const loginFailed = () => unauthenticated('login-failed', '账号或密码错误');

/** The same answer for every refusal of a guesser, whichever key refused and whether the account exists. */
function tooManyFailures(until: Date, clock: Clock) {
  const retryAfterSeconds = Math.max(1, Math.ceil((until.getTime() - clock.now().getTime()) / 1000));
  return throttled('login-throttled', `密码错误次数过多，请于北京时间 ${beijingHoursMinutes(until)} 后再试；如忘记密码，请联系本单位或上级管理员重置`, {
    retryAt: until.toISOString(),
    retryAfterSeconds,
  });
}

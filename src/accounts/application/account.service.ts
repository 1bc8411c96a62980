import { randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../../config/app-config.js';
import { type CommandContext, CommandPath } from '../../shared/command/command-path.js';
import { forbidden, notFound } from '../../shared/domain/domain-error.js';
import { APP_CONFIG, CLOCK, LOGGER, READ_STORE } from '../../shared/infrastructure/tokens.js';
import { type Clock, isoNow } from '../../shared/time/clock.js';
import { physicalCollection } from '../../shared/projections/projection-definition.js';
import type { Filter, ReadStore } from '../../shared/read-store/read-store.port.js';
import { accountsProjection } from '../projections/accounts.projection.js';
import { INSTITUTION_PLACEMENTS, type InstitutionPlacements } from '../../shared/access/institution-placements.port.js';
import { administeredFilter, administers } from '../../shared/access/jurisdiction.js';
import type { Principal } from './principal.js';

export type { Principal } from './principal.js';
import type { Logger } from '../../shared/logging/json-logger.js';
import type { AccountState, Level, Role } from '../domain/account.js';
import { type AccountCommand, accountDecider, accountStream } from '../domain/account.decider.js';
import { mayResetPassword } from '../domain/reset-rules.js';
import { usernameDecider, usernameStream } from '../domain/username.decider.js';
import { AccountNames } from './account-names.js';
import { PasswordHasher } from './password-hasher.js';
import { SessionService } from './session.service.js';

export { accountStream } from '../domain/account.decider.js';
const accountsCollection = physicalCollection(accountsProjection, 'accounts');

export interface NewAccount {
  username: string;
  realName: string;
  level: Level;
  role: Role;
  divisionCode: string;
  institutionCode: string | null;
}

const SYSTEM_ACTOR = { accountId: 'system', role: 'system', organisationId: 'system' };

@Injectable()
export class AccountService {
  /** the registry's county of an institution (organisation context); a property, so the constructor stays as it is */
  @Inject(INSTITUTION_PLACEMENTS) private readonly placements!: InstitutionPlacements;
  /** usernames and real names of the actors in a history */
  @Inject(AccountNames) private readonly names!: AccountNames;

  constructor(
    private readonly commands: CommandPath,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(READ_STORE) private readonly reads: ReadStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionService,
  ) {}

  /** Accounts an administrator manages: its own organisation's and those below it (kernel `administers`). */
  list(principal: Principal, filter: Filter, cursor: string | undefined, limit: number) {
    if (principal.role !== 'admin') throw forbidden('admin-only', '只有系统管理员可以查看账号列表');
    const scope = administeredFilter(principal);
    return this.reads.find(accountsCollection, { ...filter, ...scope }, { sort: [['username', 'asc']], limit, ...(cursor ? { cursor } : {}) });
  }

  async accountIdFor(username: string): Promise<string | null> {
    return (await this.commands.load(usernameStream(username), usernameDecider)).state.accountId;
  }

  async load(accountId: string): Promise<{ state: AccountState; revision: number }> {
    const { state, revision } = await this.commands.load(accountStream(accountId), accountDecider);
    return { state, revision };
  }

  private run(accountId: string, command: AccountCommand, context: CommandContext) {
    return this.commands.run({ streamId: accountStream(accountId), decider: accountDecider, command, context });
  }

  /** Creates an account with a generated initial password (returned once), username reserved race-free. */
  async create(input: NewAccount, context: CommandContext, initialPassword?: string): Promise<{ accountId: string; initialPassword: string; position: number; revision: number }> {
    const password = initialPassword ?? generatePassword();
    const existing = await this.accountIdFor(input.username);
    // a reservation whose account was never written (crash between the two appends) is reused
    const accountId = existing && !(await this.load(existing)).state.exists ? existing : randomUUID();
    const at = isoNow(this.clock);
    await this.commands.run({ streamId: usernameStream(input.username), decider: usernameDecider, command: { type: 'ReserveUsername', username: input.username, accountId, at }, context });
    const outcome = await this.run(accountId, { type: 'CreateAccount', accountId, ...input, passwordHash: await this.hasher.hash(password), at }, context);
    return { accountId, initialPassword: password, position: outcome.position, revision: outcome.revision };
  }

  /** A fresh data folder gets the deployment's administrator; its password is configured or printed once. */
  async bootstrap(): Promise<void> {
    const username = 'admin';
    const existing = await this.accountIdFor(username);
    if (existing && (await this.load(existing)).state.exists) return;
    const level = this.config.deploymentLevel;
    const configured = this.config.bootstrapAdminPassword;
    const context: CommandContext = { actor: SYSTEM_ACTOR, correlationId: `bootstrap-${randomUUID()}`, causationId: null };
    const created = await this.create(
      { username, realName: '系统管理员', level, role: 'admin', divisionCode: this.config.deploymentDivision, institutionCode: null },
      context,
      configured ?? undefined,
    );
    if (configured) {
      this.logger.info('deployment administrator created with the configured initial password', { username, level, divisionCode: this.config.deploymentDivision });
    } else {
      // printed once, on the console only (not in the structured log): it must be changed at first login
      process.stdout.write(`\n  Initial administrator: username "${username}", password "${created.initialPassword}" (shown once; change it at first login)\n\n`);
    }
  }

  /**
   * An administrator acts on the accounts of its own organisation and of the levels below it
   * (kernel `administers`; an institution's accounts carry its county's code, so division codes
   * alone do not tell). The role is refused first, whatever the target; then an account that is
   * absent or not the caller's gets the same 404, so existence does not leak.
   */
  private async target(principal: Principal, accountId: string): Promise<AccountState> {
    if (principal.role !== 'admin') throw forbidden('admin-only', '只有系统管理员可以进行此操作');
    const { state } = await this.load(accountId);
    if (!state.exists || !administers(principal, state)) throw notFound('account-not-found', '账号不存在或不在您的管辖范围内');
    return state;
  }

  /** Every event of an account (logins, failures, lockouts, resets, kick-outs), for its administrators and auditors. */
  async history(principal: Principal, accountId: string) {
    if (principal.accountId !== accountId) await this.target(principal, accountId);
    const events = await this.commands.history(accountStream(accountId));
    return this.names.name(events.map((e) => ({
      type: e.type,
      at: e.metadata.occurredAt,
      actor: e.metadata.actor,
      reason: e.metadata.reason ?? null,
      correlationId: e.metadata.correlationId,
      // password and token hashes never leave the service
      data: Object.fromEntries(Object.entries(e.data).filter(([k]) => k !== 'passwordHash' && k !== 'tokenHash')),
    })));
  }

  async kickOut(principal: Principal, accountId: string, reason: string, context: CommandContext) {
    await this.target(principal, accountId);
    return this.run(accountId, { type: 'KickOut', at: isoNow(this.clock), reason }, context);
  }

  /** Every target is checked before any is kicked out: one refused id refuses the whole request. */
  async kickOutMany(principal: Principal, accountIds: string[], reason: string, context: CommandContext) {
    for (const id of accountIds) await this.target(principal, id);
    const items = [];
    for (const id of accountIds) items.push({ accountId: id, outcome: await this.kickOut(principal, id, reason, context) });
    return items;
  }

  async resetPassword(principal: Principal, accountId: string, reason: string, context: CommandContext) {
    const target = await this.target(principal, accountId);
    if (!mayResetPassword(principal, target)) {
      throw forbidden('reset-not-allowed', '您不能重置该账号的密码：管理员只能重置本级其他非管理员账号和下级账号，管理员本人的密码由上级管理员重置');
    }
    const temporary = generatePassword();
    const outcome = await this.run(accountId, { type: 'ResetPassword', at: isoNow(this.clock), newPasswordHash: await this.hasher.hash(temporary), byAccountId: principal.accountId, reason }, context);
    this.sessions.liftThrottle(target.username);
    return { temporaryPassword: temporary, outcome };
  }

  /** The three accounts the registry sync gives every new institution (business, review, administrator). */
  static institutionUsernames(code: string): Array<{ username: string; role: Role }> {
    return [
      { username: `${code}-business`, role: 'business' },
      { username: `${code}-review`, role: 'review' },
      { username: `${code}-admin`, role: 'admin' },
    ];
  }

  /** A primary school's accounts (issue 16): its registrar for the hand-over, and its administrator. */
  static schoolUsernames(code: string): Array<{ username: string; role: Role }> {
    return [
      { username: `${code}-registrar`, role: 'school-registrar' },
      { username: `${code}-admin`, role: 'admin' },
    ];
  }

  /** Disables (revoked institution) or enables (reinstated) an institution's accounts, with the reason. */
  async setInstitutionAccountsEnabled(code: string, enabled: boolean, reason: string, context: CommandContext): Promise<void> {
    const usernames = new Set([...AccountService.institutionUsernames(code), ...AccountService.schoolUsernames(code)].map((a) => a.username));
    for (const username of usernames) {
      const accountId = await this.accountIdFor(username);
      if (!accountId) continue;
      await this.run(accountId, enabled ? { type: 'EnableAccount', at: isoNow(this.clock), reason } : { type: 'DisableAccount', at: isoNow(this.clock), reason }, context);
    }
  }

  async createBy(principal: Principal, input: NewAccount, context: CommandContext) {
    if (principal.role !== 'admin') throw forbidden('admin-only', '只有系统管理员可以创建账号');
    // an institution's accounts carry its county's code: the registry, not the request, says which county that is
    const misplaced = input.level === 'institution' && input.institutionCode !== null && (await this.placements.countyOf(input.institutionCode)) !== input.divisionCode;
    if (misplaced || !administers(principal, input)) throw forbidden('outside-jurisdiction', '只能为本单位或管辖范围内的下级单位创建账号；机构账号须属于所填区县的在册机构');
    return this.create(input, context);
  }
}


/** A readable temporary password that passes the policy: letters, digits and a symbol. */
function generatePassword(): string {
  const raw = randomBytes(9).toString('base64url').replace(/[-_]/g, 'x');
  return `${raw.slice(0, 4).toUpperCase()}${raw.slice(4, 8).toLowerCase()}${(randomBytes(1)[0]! % 90) + 10}#`;
}

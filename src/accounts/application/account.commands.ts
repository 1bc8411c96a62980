import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandContext } from '../../shared/command/command-path.js';
import { AccountService, type NewAccount } from './account.service.js';
import type { Principal } from './principal.js';
import { SessionService } from './session.service.js';

/**
 * The accounts context's writes as bus commands (one application style, issue 13). Each account
 * flow spans the account stream, the username reservation and the login throttle, so the handlers
 * hand it to the named services (AccountService: administration; SessionService: login, password,
 * logout), which say why they are shaped so.
 */
type Outcome<F extends (...args: never[]) => unknown> = Awaited<ReturnType<F>>;

export class LogIn extends Command<Outcome<SessionService['login']>> {
  constructor(readonly username: string, readonly password: string, readonly context: Omit<CommandContext, 'actor'>, readonly address: string | null) {
    super();
  }
}

@CommandHandler(LogIn)
export class LogInHandler implements ICommandHandler<LogIn> {
  constructor(private readonly sessions: SessionService) {}

  execute({ username, password, context, address }: LogIn) {
    return this.sessions.login(username, password, context, address);
  }
}

export class LogOut extends Command<Outcome<SessionService['logout']>> {
  constructor(readonly principal: Principal, readonly context: CommandContext) {
    super();
  }
}

@CommandHandler(LogOut)
export class LogOutHandler implements ICommandHandler<LogOut> {
  constructor(private readonly sessions: SessionService) {}

  execute({ principal, context }: LogOut) {
    return this.sessions.logout(principal, context);
  }
}

export class ChangePassword extends Command<Outcome<SessionService['changePassword']>> {
  constructor(readonly principal: Principal, readonly currentPassword: string, readonly newPassword: string, readonly context: CommandContext, readonly address: string | null) {
    super();
  }
}

@CommandHandler(ChangePassword)
export class ChangePasswordHandler implements ICommandHandler<ChangePassword> {
  constructor(private readonly sessions: SessionService) {}

  execute({ principal, currentPassword, newPassword, context, address }: ChangePassword) {
    return this.sessions.changePassword(principal, currentPassword, newPassword, context, address);
  }
}

/** An administrator creates an account in its own organisation or below. */
export class CreateAccount extends Command<Outcome<AccountService['createBy']>> {
  constructor(readonly principal: Principal, readonly input: NewAccount, readonly context: CommandContext) {
    super();
  }
}

@CommandHandler(CreateAccount)
export class CreateAccountHandler implements ICommandHandler<CreateAccount> {
  constructor(private readonly accounts: AccountService) {}

  execute({ principal, input, context }: CreateAccount) {
    return this.accounts.createBy(principal, input, context);
  }
}

/** An administrator ends an account's live session. */
export class KickOut extends Command<Outcome<AccountService['kickOut']>> {
  constructor(readonly principal: Principal, readonly accountId: string, readonly reason: string, readonly context: CommandContext) {
    super();
  }
}

@CommandHandler(KickOut)
export class KickOutHandler implements ICommandHandler<KickOut> {
  constructor(private readonly accounts: AccountService) {}

  execute({ principal, accountId, reason, context }: KickOut) {
    return this.accounts.kickOut(principal, accountId, reason, context);
  }
}

/** An administrator kicks out many accounts at once: every target is checked before any is kicked out. */
export class KickOutMany extends Command<Outcome<AccountService['kickOutMany']>> {
  constructor(readonly principal: Principal, readonly accountIds: string[], readonly reason: string, readonly context: CommandContext) {
    super();
  }
}

@CommandHandler(KickOutMany)
export class KickOutManyHandler implements ICommandHandler<KickOutMany> {
  constructor(private readonly accounts: AccountService) {}

  execute({ principal, accountIds, reason, context }: KickOutMany) {
    return this.accounts.kickOutMany(principal, accountIds, reason, context);
  }
}

/** An administrator resets an account's password: a temporary one, to be changed at the next login. */
export class ResetPassword extends Command<Outcome<AccountService['resetPassword']>> {
  constructor(readonly principal: Principal, readonly accountId: string, readonly reason: string, readonly context: CommandContext) {
    super();
  }
}

@CommandHandler(ResetPassword)
export class ResetPasswordHandler implements ICommandHandler<ResetPassword> {
  constructor(private readonly accounts: AccountService) {}

  execute({ principal, accountId, reason, context }: ResetPassword) {
    return this.accounts.resetPassword(principal, accountId, reason, context);
  }
}

export const ACCOUNT_COMMAND_HANDLERS = [LogInHandler, LogOutHandler, ChangePasswordHandler, CreateAccountHandler, KickOutHandler, KickOutManyHandler, ResetPasswordHandler];

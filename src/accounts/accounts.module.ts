import { Module, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { registerContext } from '../shared/context-manifest.js';
import { EventRegistry } from '../shared/events/event-registry.js';
import { ProjectionManager } from '../shared/projections/projection-manager.js';
import { AccountsController, AuthController } from './api/accounts.controller.js';
import { AuthGuard } from './api/auth.guard.js';
import { ACCOUNT_COMMAND_HANDLERS } from './application/account.commands.js';
import { AccountService } from './application/account.service.js';
import { InstitutionAccounts } from './application/institution-accounts.js';
import { AccountNames } from './application/account-names.js';
import { ACCOUNTS_MANIFEST } from './accounts.manifest.js';
import { LoginThrottle } from './application/login-throttle.js';
import { PasswordHasher } from './application/password-hasher.js';
import { SessionActivity } from './application/session-activity.js';
import { SessionService } from './application/session.service.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../shared/infrastructure/tokens.js';

/** Accounts, login sessions and the guard every route passes. */
@Module({
  controllers: [AuthController, AccountsController],
  providers: [
    AccountService, InstitutionAccounts, AccountNames, SessionService, LoginThrottle, SessionActivity, ...ACCOUNT_COMMAND_HANDLERS,
    { provide: PasswordHasher, useFactory: (config: AppConfig) => new PasswordHasher(config.passwordHashCost), inject: [APP_CONFIG] },
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [InstitutionAccounts, AccountNames],
})
export class AccountsModule implements OnModuleInit, OnApplicationBootstrap {
  constructor(
    private readonly registry: EventRegistry,
    private readonly projections: ProjectionManager,
    private readonly accounts: AccountService,
  ) {}

  onModuleInit(): void {
    registerContext(ACCOUNTS_MANIFEST, this.registry, this.projections);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.accounts.bootstrap();
  }
}

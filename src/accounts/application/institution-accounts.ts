import { Injectable } from '@nestjs/common';
import type { CommandContext } from '../../shared/command/command-path.js';
import type { Role } from '../domain/account.js';
import { AccountService } from './account.service.js';

/**
 * What the organisation context may do with accounts (the narrow front door of accounts): an
 * institution registered from the institution-code registry gets its three accounts; a revoked
 * one has them disabled, a reinstated one enabled again.
 */
@Injectable()
export class InstitutionAccounts {
  constructor(private readonly accounts: AccountService) {}

  /**
   * The usernames and roles an institution's accounts get: `<机构标识码>-business`, `-review`,
   * `-admin`; a primary school's: `<学校标识码>-registrar` (the hand-over) and `-admin`.
   */
  usernames(code: string, type?: string): Array<{ username: string; role: Role }> {
    return type === 'primary-school' ? AccountService.schoolUsernames(code) : AccountService.institutionUsernames(code);
  }

  /** Creates (or, after a crash between its two appends, completes) one account of the institution. */
  create(institution: { code: string; divisionCode: string }, account: { username: string; role: Role; realName: string }, context: CommandContext) {
    return this.accounts.create({ ...account, level: 'institution', divisionCode: institution.divisionCode, institutionCode: institution.code }, context);
  }

  setEnabled(code: string, enabled: boolean, reason: string, context: CommandContext): Promise<void> {
    return this.accounts.setInstitutionAccountsEnabled(code, enabled, reason, context);
  }
}

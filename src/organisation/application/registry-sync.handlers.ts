import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { Principal } from '../../accounts/contracts/index.js';
import type { CommandContext } from '../../shared/command/command-path.js';
import { RegistrySyncService, type SyncResult } from './registry-sync.service.js';

/**
 * The province uploads the institution-code registry (xlsx or csv): registers, renames and
 * revokes institutions and creates the new ones' accounts. A flow over thousands of streams, so
 * the handler hands it to the named service (RegistrySyncService says why it is shaped so).
 */
export class SyncInstitutionRegistry extends Command<SyncResult> {
  constructor(readonly principal: Principal, readonly file: Buffer, readonly context: CommandContext) {
    super();
  }
}

@CommandHandler(SyncInstitutionRegistry)
export class SyncInstitutionRegistryHandler implements ICommandHandler<SyncInstitutionRegistry> {
  constructor(private readonly registry: RegistrySyncService) {}

  execute({ principal, file, context }: SyncInstitutionRegistry): Promise<SyncResult> {
    return this.registry.sync(principal, file, context);
  }
}

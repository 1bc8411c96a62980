import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler, IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import type { Principal } from '../../accounts/contracts/index.js';
import { type CommandContext, type CommandOutcome, CommandPath } from '../../shared/command/command-path.js';
import { READ_STORE } from '../../shared/infrastructure/tokens.js';
import { physicalCollection } from '../../shared/projections/projection-definition.js';
import type { Page, ReadStore } from '../../shared/read-store/read-store.port.js';
import { CLOCK, type Clock, isoNow } from '../../shared/time/clock.js';
import { type ApiClientState, type ClientLevel, type Profile, apiClientDecider, apiClientStream } from '../domain/api-client.decider.js';
import { apiClientsProjection } from '../projections/api-clients.projection.js';
import { managedFilter, mayRegister, requireAdmin, requireManaged } from './api-client-access.js';
import { hashSecret, newClientId, newSecret } from './client-tokens.js';

/** A command that shows a new secret once: the outcome carries it, the events only its hash. */
export type SecretOutcome = CommandOutcome<ApiClientState> & { clientId: string; clientSecret: string };

export class RegisterApiClient extends Command<SecretOutcome> {
  constructor(readonly principal: Principal, readonly client: { name: string; level: ClientLevel; divisionCode: string; profile: Profile }, readonly context: CommandContext) {
    super();
  }
}

@CommandHandler(RegisterApiClient)
export class RegisterApiClientHandler implements ICommandHandler<RegisterApiClient> {
  constructor(private readonly commands: CommandPath, @Inject(CLOCK) private readonly clock: Clock) {}

  async execute({ principal, client, context }: RegisterApiClient): Promise<SecretOutcome> {
    mayRegister(principal, client);
    const clientId = newClientId();
    const clientSecret = newSecret();
    const outcome = await this.commands.run({ streamId: apiClientStream(clientId), decider: apiClientDecider, command: { type: 'RegisterClient', clientId, ...client, secretHash: hashSecret(clientSecret), at: isoNow(this.clock) }, context });
    return { ...outcome, clientId, clientSecret };
  }
}

export class RotateApiClientSecret extends Command<SecretOutcome> {
  constructor(readonly principal: Principal, readonly clientId: string, readonly context: CommandContext) {
    super();
  }
}

@CommandHandler(RotateApiClientSecret)
export class RotateApiClientSecretHandler implements ICommandHandler<RotateApiClientSecret> {
  constructor(private readonly commands: CommandPath, @Inject(CLOCK) private readonly clock: Clock) {}

  async execute({ principal, clientId, context }: RotateApiClientSecret): Promise<SecretOutcome> {
    const clientSecret = newSecret();
    const outcome = await this.commands.run({
      streamId: apiClientStream(clientId), decider: apiClientDecider, command: { type: 'RotateSecret', secretHash: hashSecret(clientSecret), at: isoNow(this.clock) }, context,
      authorise: (state) => requireManaged(principal, state),
    });
    return { ...outcome, clientId, clientSecret };
  }
}

export class RevokeApiClient extends Command<CommandOutcome<ApiClientState>> {
  constructor(readonly principal: Principal, readonly clientId: string, readonly reason: string, readonly context: CommandContext) {
    super();
  }
}

@CommandHandler(RevokeApiClient)
export class RevokeApiClientHandler implements ICommandHandler<RevokeApiClient> {
  constructor(private readonly commands: CommandPath, @Inject(CLOCK) private readonly clock: Clock) {}

  execute({ principal, clientId, reason, context }: RevokeApiClient): Promise<CommandOutcome<ApiClientState>> {
    return this.commands.run({
      streamId: apiClientStream(clientId), decider: apiClientDecider, command: { type: 'RevokeClient', reason, at: isoNow(this.clock) }, context,
      authorise: (state) => requireManaged(principal, state),
    });
  }
}

export const API_CLIENTS = physicalCollection(apiClientsProjection, 'clients');

export class ListApiClients extends Query<Page<Record<string, unknown>>> {
  constructor(readonly principal: Principal, readonly page: { cursor?: string; limit: number }) {
    super();
  }
}

@QueryHandler(ListApiClients)
export class ListApiClientsHandler implements IQueryHandler<ListApiClients> {
  constructor(@Inject(READ_STORE) private readonly reads: ReadStore) {}

  execute({ principal, page }: ListApiClients): Promise<Page<Record<string, unknown>>> {
    requireAdmin(principal);
    return this.reads.find(API_CLIENTS, managedFilter(principal), { sort: [['registeredAt', 'asc']], limit: page.limit, ...(page.cursor ? { cursor: page.cursor } : {}) });
  }
}

export const API_CLIENT_HANDLERS = [RegisterApiClientHandler, RotateApiClientSecretHandler, RevokeApiClientHandler, ListApiClientsHandler];

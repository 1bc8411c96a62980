import { Module, type OnModuleInit } from '@nestjs/common';
import { MACHINE_CLIENTS } from '../shared/access/machine-clients.js';
import { registerContext } from '../shared/context-manifest.js';
import { EventRegistry } from '../shared/events/event-registry.js';
import { ProjectionManager } from '../shared/projections/projection-manager.js';
import { ApiClientsController } from './api/api-clients.controller.js';
import { FeedController } from './api/feed.controller.js';
import { OAuthController } from './api/oauth.controller.js';
import { API_CLIENT_HANDLERS } from './application/api-client.handlers.js';
import { ClientTokens } from './application/client-tokens.js';
import { FeedStreams } from './api/feed-streams.js';
import { FeedService } from './application/feed.service.js';
import { SHARING_MANIFEST } from './sharing.manifest.js';

/** API clients (machine accounts, client-credentials tokens) and the change feed for portals and the registration system. */
@Module({
  controllers: [ApiClientsController, OAuthController, FeedController],
  providers: [...API_CLIENT_HANDLERS, ClientTokens, { provide: MACHINE_CLIENTS, useExisting: ClientTokens }, FeedService, FeedStreams],
})
export class SharingModule implements OnModuleInit {
  constructor(private readonly registry: EventRegistry, private readonly projections: ProjectionManager) {}

  onModuleInit(): void {
    registerContext(SHARING_MANIFEST, this.registry, this.projections);
  }
}

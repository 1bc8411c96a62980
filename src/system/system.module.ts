import { Module } from '@nestjs/common';
import type { EventStore } from '../shared/event-store/event-store.port.js';
import { EVENT_STORE } from '../shared/infrastructure/tokens.js';
import { ServiceMetrics } from '../shared/metrics/service-metrics.js';
import { ProjectionManager } from '../shared/projections/projection-manager.js';
import { MetricsController } from './metrics.controller.js';
import { HealthController, ProjectionStatusController } from './system.controller.js';

@Module({
  controllers: [HealthController, ProjectionStatusController, MetricsController],
  providers: [{ provide: ServiceMetrics, useFactory: (events: EventStore, projections: ProjectionManager) => new ServiceMetrics(events, projections), inject: [EVENT_STORE, ProjectionManager] }],
  exports: [ServiceMetrics],
})
export class SystemModule {}

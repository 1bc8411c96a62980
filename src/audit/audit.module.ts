import { Module, type OnModuleInit } from '@nestjs/common';
import { AccountsModule } from '../accounts/contracts/index.js';
import { RecordsModule } from '../records/contracts/index.js';
import { registerContext } from '../shared/context-manifest.js';
import { EventRegistry } from '../shared/events/event-registry.js';
import { READ_AUDIT_SINK } from '../shared/personal-data/read-audit.js';
import { ProjectionManager } from '../shared/projections/projection-manager.js';
import { ReadAuditController } from './api/read-audit.controller.js';
import { READ_AUDIT_QUERY_HANDLERS } from './application/read-audit.queries.js';
import { ReadLog } from './application/read-log.js';
import { AUDIT_MANIFEST } from './audit.manifest.js';

/** Who read which child's personal data (issue 21, item 6): the sink the HTTP edge writes to, and the auditors' lists. */
@Module({
  imports: [AccountsModule, RecordsModule],
  controllers: [ReadAuditController],
  providers: [ReadLog, { provide: READ_AUDIT_SINK, useExisting: ReadLog }, ...READ_AUDIT_QUERY_HANDLERS],
  exports: [READ_AUDIT_SINK],
})
export class AuditModule implements OnModuleInit {
  constructor(private readonly registry: EventRegistry, private readonly projections: ProjectionManager) {}

  onModuleInit(): void {
    registerContext(AUDIT_MANIFEST, this.registry, this.projections);
  }
}

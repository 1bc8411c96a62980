import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import { AccountsModule } from '../accounts/contracts/index.js';
import { OrganisationModule } from '../organisation/contracts/index.js';
import { CommandPath } from '../shared/command/command-path.js';
import { registerContext } from '../shared/context-manifest.js';
import { EventRegistry } from '../shared/events/event-registry.js';
import { LOGGER } from '../shared/infrastructure/tokens.js';
import type { Logger } from '../shared/logging/json-logger.js';
import { ProjectionManager } from '../shared/projections/projection-manager.js';
import { RecordImportsController } from './api/record-imports.controller.js';
import { RecordsController } from './api/records.controller.js';
import { RecordErasureController } from './api/record-erasure.controller.js';
import { RECORD_ERASURE_PROVIDERS, RecordErasure, erasureReactor } from './application/erasure/record-erasure.handler.js';
import { DuplicateCasesController } from './api/duplicate-cases.controller.js';
import { DUPLICATE_CASE_HANDLERS } from './application/cases/duplicate-case.handlers.js';
import { DUPLICATE_CASE_QUERY_HANDLERS } from './application/cases/duplicate-case.queries.js';
import { Deduplication } from './application/deduplication/deduplication.js';
import { deduplicationReactor } from './application/deduplication/deduplication.reactor.js';
import { duplicateCaseReactor } from './application/cases/duplicate-case.reactor.js';
import { DuplicateCases } from './application/cases/duplicate-cases.js';
import { RECORD_ENTRY_HANDLERS } from './application/entry/record-entry.handlers.js';
import { ImportCommit } from './application/import/import-commit.js';
import { importRecoveryReactor } from './application/import/import-recovery.reactor.js';
import { ImportRecordsHandler } from './application/import/record-import.handler.js';
import { RECORD_IMPORT_QUERY_HANDLERS } from './application/import/record-import.queries.js';
import { RecordReads } from './application/record-reads.js';
import { RecordRegister } from './application/record-register.js';
import { ChildrenExport } from './application/children-export.js';
import { TemplateReader } from './application/import/template-reader.js';
import { RECORD_REVIEW_HANDLERS } from './application/review/record-review.handlers.js';
import { RECORD_QUERY_HANDLERS } from './application/queries/record.queries.js';
import { RECORDS_MANIFEST } from './records.manifest.js';

/** Child records (幼儿学籍): entry, import, province de-duplication, review, numbers, key changes. */
@Module({
  imports: [AccountsModule, OrganisationModule],
  controllers: [RecordImportsController, RecordsController, DuplicateCasesController, RecordErasureController],
  providers: [RecordRegister, ChildrenExport, Deduplication, DuplicateCases, ...DUPLICATE_CASE_HANDLERS, ...DUPLICATE_CASE_QUERY_HANDLERS, RecordReads, TemplateReader, ImportCommit, ...RECORD_ENTRY_HANDLERS, ...RECORD_REVIEW_HANDLERS, ...RECORD_QUERY_HANDLERS, ImportRecordsHandler, ...RECORD_IMPORT_QUERY_HANDLERS, ...RECORD_ERASURE_PROVIDERS],
  exports: [RecordRegister, ChildrenExport],
})
export class RecordsModule implements OnModuleInit {
  constructor(
    private readonly registry: EventRegistry,
    private readonly projections: ProjectionManager,
    private readonly dedupe: Deduplication,
    private readonly cases: DuplicateCases,
    private readonly commands: CommandPath,
    private readonly reader: TemplateReader,
    private readonly imports: ImportCommit,
    private readonly erasure: RecordErasure,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    registerContext(RECORDS_MANIFEST, this.registry, this.projections);
    this.projections.registerReactors([deduplicationReactor(this.dedupe, this.cases, this.commands, this.logger), duplicateCaseReactor(this.cases, this.logger), erasureReactor(this.erasure, this.logger)]);
    // the embedded store writes an import in one transaction: nothing is ever left to withdraw
    if (!this.commands.atomicMultiStream) this.projections.registerReactors([importRecoveryReactor(this.imports, this.logger)]);
    this.reader.warmUp();
  }
}

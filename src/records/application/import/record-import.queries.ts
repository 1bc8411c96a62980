import { Inject } from '@nestjs/common';
import { type IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import type { Principal } from '../../../accounts/contracts/index.js';
import { notFound } from '../../../shared/domain/domain-error.js';
import { READ_STORE } from '../../../shared/infrastructure/tokens.js';
import { physicalCollection } from '../../../shared/projections/projection-definition.js';
import type { Doc, Page, ReadStore } from '../../../shared/read-store/read-store.port.js';
import { recordImportsProjection } from '../../projections/record-imports.projection.js';
import { requireInstitutionRole } from '../record-access.js';

const IMPORTS = physicalCollection(recordImportsProjection, 'imports');

export class ListImports extends Query<Page<Doc>> {
  constructor(readonly principal: Principal, readonly limit: number, readonly cursor: string | undefined) {
    super();
  }
}

/** The institution's uploads, newest first (without their logs: those are per batch). */
@QueryHandler(ListImports)
export class ListImportsHandler implements IQueryHandler<ListImports> {
  constructor(@Inject(READ_STORE) private readonly reads: ReadStore) {}

  async execute({ principal, limit, cursor }: ListImports): Promise<Page<Doc>> {
    const code = requireInstitutionRole(principal, ['business', 'review'], '查看导入记录');
    const page = await this.reads.find<Doc>(IMPORTS, { institutionCode: code }, { sort: [['importedAt', 'desc']], limit, ...(cursor ? { cursor } : {}) });
    return { nextCursor: page.nextCursor, items: page.items.map(({ _pos, issues, ...doc }) => ({ ...doc, issueCount: Array.isArray(issues) ? issues.length : 0 }) as Doc) };
  }
}

export class GetImport extends Query<Doc> {
  constructor(readonly principal: Principal, readonly batchId: string) {
    super();
  }
}

/** One upload with its whole validation log. */
@QueryHandler(GetImport)
export class GetImportHandler implements IQueryHandler<GetImport> {
  constructor(@Inject(READ_STORE) private readonly reads: ReadStore) {}

  async execute({ principal, batchId }: GetImport): Promise<Doc> {
    const code = requireInstitutionRole(principal, ['business', 'review'], '查看导入记录');
    const doc = await this.reads.get(IMPORTS, batchId);
    if (!doc || doc['institutionCode'] !== code) throw notFound('import-not-found', '导入批次不存在或不属于本园');
    const { _pos, ...rest } = doc;
    return rest;
  }
}

export const RECORD_IMPORT_QUERY_HANDLERS = [ListImportsHandler, GetImportHandler];

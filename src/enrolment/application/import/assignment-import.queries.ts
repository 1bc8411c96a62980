import { Inject } from '@nestjs/common';
import { type IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import type { Principal } from '../../../accounts/contracts/index.js';
import { forbidden, notFound } from '../../../shared/domain/domain-error.js';
import { READ_STORE } from '../../../shared/infrastructure/tokens.js';
import { type Doc, type Page, type ReadStore, findAll } from '../../../shared/read-store/read-store.port.js';
import { ASSIGNMENT_IMPORTS } from '../../projections/assignment-imports.projection.js';
import { CLASSES } from '../../projections/enrolment.projection.js';
import { requireRegistrar } from '../class-access.js';
import { buildAssignmentTemplate } from './assignment-workbook.js';
import { ASSIGNMENT_MAX_ROWS } from './class-assignment-import.js';

export const IMPORT_NOT_FOUND = '分班导入批次不存在或不属于本园，请在本园的分班导入列表中选择';

/** Batches are the institution's own: its business and review accounts see them, nobody else. */
function ownInstitution(principal: Principal): string {
  if (principal.level !== 'institution' || !principal.institutionCode) throw forbidden('institution-only', '分班导入记录只有本园的账号可以查看，请用本园账号登录后查看');
  return principal.institutionCode;
}

export class ListAssignmentImports extends Query<Page<Doc>> {
  constructor(readonly principal: Principal, readonly limit: number, readonly cursor: string | undefined) {
    super();
  }
}

/** The institution's class-assignment uploads, newest first, without their logs (those are per batch). */
@QueryHandler(ListAssignmentImports)
export class ListAssignmentImportsHandler implements IQueryHandler<ListAssignmentImports> {
  constructor(@Inject(READ_STORE) private readonly reads: ReadStore) {}

  async execute({ principal, limit, cursor }: ListAssignmentImports): Promise<Page<Doc>> {
    const institutionCode = ownInstitution(principal);
    const page = await this.reads.find<Doc>(ASSIGNMENT_IMPORTS, { institutionCode }, { sort: [['importedAt', 'desc']], limit, ...(cursor ? { cursor } : {}) });
    return { nextCursor: page.nextCursor, items: page.items.map(({ _pos, issues: _issues, ...doc }) => ({ batchId: doc.id, ...doc }) as Doc) };
  }
}

export class GetAssignmentImport extends Query<Doc> {
  constructor(readonly principal: Principal, readonly batchId: string) {
    super();
  }
}

/** One upload with its whole log; another institution's batch is as absent as an unknown one. */
@QueryHandler(GetAssignmentImport)
export class GetAssignmentImportHandler implements IQueryHandler<GetAssignmentImport> {
  constructor(@Inject(READ_STORE) private readonly reads: ReadStore) {}

  async execute({ principal, batchId }: GetAssignmentImport): Promise<Doc> {
    const doc = await this.reads.get(ASSIGNMENT_IMPORTS, batchId);
    if (!doc || principal.level !== 'institution' || doc['institutionCode'] !== principal.institutionCode) throw notFound('import-not-found', IMPORT_NOT_FOUND);
    const { _pos, ...rest } = doc;
    return rest;
  }
}

export class GetAssignmentTemplate extends Query<Buffer> {
  constructor(readonly principal: Principal) {
    super();
  }
}

/** The template with the institution's current classes in its dropdown (business account: it is the one that assigns). */
@QueryHandler(GetAssignmentTemplate)
export class GetAssignmentTemplateHandler implements IQueryHandler<GetAssignmentTemplate> {
  constructor(@Inject(READ_STORE) private readonly reads: ReadStore) {}

  async execute({ principal }: GetAssignmentTemplate): Promise<Buffer> {
    const institutionCode = requireRegistrar(principal, '下载分班模板');
    const classes = await findAll(this.reads, CLASSES, { institutionCode });
    return buildAssignmentTemplate(classes.map((c) => ({ name: String(c['name']), grade: String(c['grade']), schoolYear: String(c['schoolYear']) })), ASSIGNMENT_MAX_ROWS);
  }
}

export const ASSIGNMENT_IMPORT_QUERY_HANDLERS = [ListAssignmentImportsHandler, GetAssignmentImportHandler, GetAssignmentTemplateHandler];

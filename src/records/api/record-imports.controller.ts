import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiHeader, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, type Principal } from '../../accounts/contracts/index.js';
import { InstitutionDirectory } from '../../organisation/contracts/index.js';
import { InBusiness } from '../../settings/contracts/index.js';
import { ReadsProjections } from '../../shared/http/consistency.interceptor.js';
import { ProblemException } from '../../shared/http/problem.js';
import type { ImportIssue } from '../domain/template-row.js';
import { ImportRecords } from '../application/import/record-import.handler.js';
import { GetImport, ListImports } from '../application/import/record-import.queries.js';
import { requireReader } from '../application/record-access.js';
import { buildTemplateWorkbook, buildValidationLogWorkbook } from '../application/import/template-workbook.js';
import type { CommandContext } from '../../shared/command/command-path.js';
import { CommandCtx } from '../../shared/http/request-context.js';
import { ApiPaging, type PageRequest, Paging } from '../../shared/http/paging.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const batch = new ParseUUIDPipe({ exceptionFactory: () => new ProblemException(404, 'import-not-found', '导入批次不存在或不属于本园') });

function attachment(reply: FastifyReply, fileName: string): void {
  void reply.header('Content-Type', XLSX).header('Content-Disposition', `attachment; filename="template.xlsx"; filename*=UTF-8''${encodeURIComponent(fileName)}`);
}

/** X-File-Name carries the uploaded file's name, URI-encoded (Chinese names survive HTTP headers that way). */
function fileNameFrom(raw: string | undefined): string | null {
  if (!raw) return null;
  try {
    return decodeURIComponent(raw).slice(0, 255);
  } catch {
    return raw.slice(0, 255);
  }
}

@ApiTags('records')
@ApiBearerAuth()
@Controller('records')
export class RecordImportsController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly queryBus: QueryBus,
    private readonly directory: InstitutionDirectory,
  ) {}

  @Get('template')
  @ApiProduces(XLSX)
  @ApiOperation({ summary: 'The Excel import template: Chinese headers, dropdowns for coded columns, instructions, code tables and a division-code lookup sheet' })
  async template(@CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) reply: FastifyReply) {
    requireReader(principal);
    const file = await buildTemplateWorkbook({ divisions: await this.directory.counties() });
    attachment(reply, '幼儿信息导入模板.xlsx');
    return file;
  }

  @Post('imports')
  @InBusiness('record-import')
  @HttpCode(200)
  @ApiConsumes(XLSX, 'application/octet-stream')
  @ApiBody({ description: 'the filled template (.xlsx, at most 20 MB) as the raw request body', schema: { type: 'string', format: 'binary' } })
  @ApiHeader({ name: 'X-File-Name', required: false, description: 'the file name, URI-encoded (shown in the import list and the log)' })
  @ApiOperation({ summary: 'Upload a filled template: good rows are saved (with batch id and row), bad rows are listed (row, column, value, reason); children already in this kindergarten are reported, not doubled' })
  async upload(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Body() body: unknown, @Headers('x-file-name') fileName?: string) {
    if (!Buffer.isBuffer(body)) {
      throw new ProblemException(415, 'import-file-type', '请上传 Excel 模板文件（.xlsx）本身作为请求体，Content-Type 为 application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    }
    if (body.length === 0) throw new ProblemException(400, 'import-file-empty', '上传的文件是空的');
    return this.commandBus.execute(new ImportRecords(principal, body, fileNameFrom(fileName), context));
  }

  @Get('imports')
  @ReadsProjections('record-imports')
  @ApiOperation({ summary: 'The institution’s uploads, newest first, with their counts' })
  @ApiPaging({ defaultLimit: 20, maxLimit: 200 })
  list(@CurrentPrincipal() principal: Principal, @Paging({ defaultLimit: 20, maxLimit: 200 }) page: PageRequest) {
    return this.queryBus.execute(new ListImports(principal, page.limit, page.cursor));
  }

  @Get('imports/:batchId')
  @ReadsProjections('record-imports')
  @ApiOperation({ summary: 'One upload with its whole validation log (JSON)' })
  get(@CurrentPrincipal() principal: Principal, @Param('batchId', batch) batchId: string) {
    return this.queryBus.execute(new GetImport(principal, batchId));
  }

  @Get('imports/:batchId/log.xlsx')
  @ReadsProjections('record-imports')
  @ApiProduces(XLSX)
  @ApiOperation({ summary: 'The validation log (导入数据校验日志) of an upload as an Excel file' })
  async log(@CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) reply: FastifyReply, @Param('batchId', batch) batchId: string) {
    const doc = await this.queryBus.execute(new GetImport(principal, batchId));
    const file = await buildValidationLogWorkbook(doc['issues'] as ImportIssue[], {
      fileName: (doc['fileName'] as string | null) ?? null, batchId, rows: Number(doc['rows']), saved: Number(doc['saved']), failed: Number(doc['failed']), alreadyPresent: Number(doc['alreadyPresent']),
    });
    attachment(reply, `导入数据校验日志-${batchId.slice(0, 8)}.xlsx`);
    return file;
  }
}

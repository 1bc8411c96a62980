import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ApiPage, ApiProblems } from '../../shared/http/openapi.js';
import { ImportBatchDto, ImportSummaryDto } from './import-responses.dto.js';
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
import { XLSX, uploadedFileName, xlsxAttachment } from '../../shared/http/spreadsheet-files.js';
import { ApiPaging, type PageRequest, Paging } from '../../shared/http/paging.js';

const batch = new ParseUUIDPipe({ exceptionFactory: () => new ProblemException(404, 'import-not-found', '导入批次不存在或不属于本园') });

const attachment = (reply: FastifyReply, fileName: string): void => xlsxAttachment(reply, fileName, 'template.xlsx');

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
  @ApiOperation({ summary: '下载 Excel 导入模板', description: '中文表头、代码列的下拉选项、填写说明、代码表和区划代码查询表。' })
  @ApiOkResponse({ description: '模板文件（.xlsx）', content: { [XLSX]: { schema: { type: 'string', format: 'binary' } } } })
  @ApiProblems(403)
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
  @ApiBody({ description: '填好的模板（.xlsx，不超过 20 MB）作为请求体本身', schema: { type: 'string', format: 'binary' } })
  @ApiHeader({ name: 'X-File-Name', required: false, description: '文件名，URI 编码（显示在导入列表和校验日志中）' })
  @ApiOperation({ summary: '上传填好的导入模板', description: '正确的行被保存（带批次和行号），有错误的行逐一列出（行、列、内容、原因）；本园已有的幼儿只报告、不重复保存。' })
  @ApiOkResponse({ type: ImportSummaryDto })
  @ApiProblems(403, 413, 415, 422, 423)
  async upload(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Body() body: unknown, @Headers('x-file-name') fileName?: string) {
    if (!Buffer.isBuffer(body)) {
      throw new ProblemException(415, 'import-file-type', '请上传 Excel 模板文件（.xlsx）本身作为请求体，Content-Type 为 application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    }
    if (body.length === 0) throw new ProblemException(400, 'import-file-empty', '上传的文件是空的');
    return this.commandBus.execute(new ImportRecords(principal, body, uploadedFileName(fileName), context));
  }

  @Get('imports')
  @ReadsProjections('record-imports')
  @ApiOperation({ summary: '本园的导入批次，最新的在前' })
  @ApiPage(ImportBatchDto)
  @ApiProblems(403)
  @ApiPaging({ defaultLimit: 20, maxLimit: 200 })
  list(@CurrentPrincipal() principal: Principal, @Paging({ defaultLimit: 20, maxLimit: 200 }) page: PageRequest) {
    return this.queryBus.execute(new ListImports(principal, page.limit, page.cursor));
  }

  @Get('imports/:batchId')
  @ReadsProjections('record-imports')
  @ApiOperation({ summary: '一个导入批次及其全部校验结果（JSON）' })
  @ApiOkResponse({ type: ImportBatchDto })
  @ApiProblems(404)
  get(@CurrentPrincipal() principal: Principal, @Param('batchId', batch) batchId: string) {
    return this.queryBus.execute(new GetImport(principal, batchId));
  }

  @Get('imports/:batchId/log.xlsx')
  @ReadsProjections('record-imports')
  @ApiProduces(XLSX)
  @ApiOperation({ summary: '下载导入数据校验日志（Excel）' })
  @ApiOkResponse({ description: '校验日志（.xlsx）', content: { [XLSX]: { schema: { type: 'string', format: 'binary' } } } })
  @ApiProblems(404)
  async log(@CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) reply: FastifyReply, @Param('batchId', batch) batchId: string) {
    const doc = await this.queryBus.execute(new GetImport(principal, batchId));
    const file = await buildValidationLogWorkbook(doc['issues'] as ImportIssue[], {
      fileName: (doc['fileName'] as string | null) ?? null, batchId, rows: Number(doc['rows']), saved: Number(doc['saved']), failed: Number(doc['failed']), alreadyPresent: Number(doc['alreadyPresent']),
    });
    attachment(reply, `导入数据校验日志-${batchId.slice(0, 8)}.xlsx`);
    return file;
  }
}

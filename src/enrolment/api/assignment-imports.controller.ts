import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, type Principal } from '../../accounts/contracts/index.js';
import type { CommandContext } from '../../shared/command/command-path.js';
import { ReadsProjections } from '../../shared/http/consistency.interceptor.js';
import { ApiPage, ApiProblems } from '../../shared/http/openapi.js';
import { ApiPaging, type PageRequest, Paging } from '../../shared/http/paging.js';
import { ProblemException } from '../../shared/http/problem.js';
import { CommandCtx } from '../../shared/http/request-context.js';
import { XLSX, uploadedFileName, xlsxAttachment } from '../../shared/http/spreadsheet-files.js';
import type { AssignmentIssue } from '../domain/assignment-import.decider.js';
import { GetAssignmentImport, GetAssignmentTemplate, IMPORT_NOT_FOUND, ListAssignmentImports } from '../application/import/assignment-import.queries.js';
import { buildAssignmentLog } from '../application/import/assignment-workbook.js';
import { ImportClassAssignments } from '../application/import/class-assignment-import.js';
import { AssignmentImportBatchDto, AssignmentImportDto } from './responses.dto.js';

const batchUuid = new ParseUUIDPipe({ exceptionFactory: () => new ProblemException(404, 'import-not-found', IMPORT_NOT_FOUND) });
const PAGING = { defaultLimit: 20, maxLimit: 200 };

const attachment = (reply: FastifyReply, fileName: string): void => xlsxAttachment(reply, fileName, 'class-assignment.xlsx');

/** 分班模板导入: the template, the upload, the stored batches and their logs. */
@ApiTags('classes')
@ApiBearerAuth()
@Controller('classes')
export class AssignmentImportsController {
  constructor(private readonly commandBus: CommandBus, private readonly queryBus: QueryBus) {}

  @Get('assignment-template')
  @ReadsProjections('enrolment')
  @ApiProduces(XLSX)
  @ApiOperation({ summary: '下载分班导入模板（幼儿园业务账号）', description: '“分班”工作表两列：幼儿学籍号或身份证件号码、班级名称（下拉选择本园班级）；另有填写说明和本园班级表。' })
  @ApiOkResponse({ description: '分班模板（.xlsx）', content: { [XLSX]: { schema: { type: 'string', format: 'binary' } } } })
  @ApiProblems(403)
  async template(@CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) reply: FastifyReply) {
    const file = await this.queryBus.execute(new GetAssignmentTemplate(principal));
    attachment(reply, '分班导入模板.xlsx');
    return file;
  }

  @Post('assignment-imports')
  @HttpCode(200)
  @ApiConsumes(XLSX, 'application/octet-stream')
  @ApiBody({ description: '填好的分班表（.xlsx）作为请求体本身：表头一行（学籍号或身份证件号、班级名称），其后每行一名幼儿', schema: { type: 'string', format: 'binary' } })
  @ApiHeader({ name: 'X-File-Name', required: false, description: '文件名，URI 编码（显示在导入列表和校验日志中）' })
  @ApiOperation({ summary: '分班模板导入：每行一个学籍号（或身份证件号）和班级名称；逐行校验，错误行给出行、列、值和原因，其余照常分班；导入批次与其全部分班一次写入（中断后要么全部生效，要么都未生效）' })
  @ApiOkResponse({ type: AssignmentImportDto })
  @ApiProblems(400, 403, 413, 415, 503)
  upload(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Body() body: unknown, @Headers('x-file-name') fileName?: string) {
    if (!Buffer.isBuffer(body)) throw new ProblemException(415, 'import-file-type', '请上传分班表（.xlsx）本身作为请求体，Content-Type 为 application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    return this.commandBus.execute(new ImportClassAssignments(principal, body, uploadedFileName(fileName), context));
  }

  @Get('assignment-imports')
  @ReadsProjections('class-assignment-imports')
  @ApiOperation({ summary: '本园的分班导入批次，最新的在前（本园账号）' })
  @ApiPaging(PAGING)
  @ApiPage(AssignmentImportBatchDto)
  @ApiProblems(403)
  list(@CurrentPrincipal() principal: Principal, @Paging(PAGING) page: PageRequest) {
    return this.queryBus.execute(new ListAssignmentImports(principal, page.limit, page.cursor));
  }

  @Get('assignment-imports/:batchId/log.xlsx')
  @ReadsProjections('class-assignment-imports')
  @ApiProduces(XLSX)
  @ApiOperation({ summary: '下载分班导入校验日志（Excel）：行号、列、填写的值、问题说明' })
  @ApiOkResponse({ description: '校验日志（.xlsx）', content: { [XLSX]: { schema: { type: 'string', format: 'binary' } } } })
  @ApiProblems(404)
  async log(@CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) reply: FastifyReply, @Param('batchId', batchUuid) batchId: string) {
    const doc = await this.queryBus.execute(new GetAssignmentImport(principal, batchId));
    const file = await buildAssignmentLog({
      batchId, fileName: (doc['fileName'] as string | null) ?? null, rows: Number(doc['rows']), placed: Number(doc['placed']), unchanged: Number(doc['unchanged']), failed: Number(doc['failed']), issues: doc['issues'] as AssignmentIssue[],
    });
    attachment(reply, `分班导入校验日志-${batchId.slice(0, 8)}.xlsx`);
    return file;
  }
}

import { Body, Controller, Delete, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Put, Query, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, type Principal } from '../../accounts/contracts/index.js';
import type { CommandContext } from '../../shared/command/command-path.js';
import { commandResponse } from '../../shared/http/command-response.js';
import { ReadsProjections } from '../../shared/http/consistency.interceptor.js';
import { ApiPage, ApiProblems, CommandAcceptedDto } from '../../shared/http/openapi.js';
import { ApiPaging, type PageRequest, Paging } from '../../shared/http/paging.js';
import { ProblemException } from '../../shared/http/problem.js';
import { CommandCtx } from '../../shared/http/request-context.js';
import { XLSX, uploadedFileName, xlsxAttachment } from '../../shared/http/spreadsheet-files.js';
import { ConfirmCandidate, CorrectEntry, DeleteEntry } from '../application/entry.handlers.js';
import { buildNotFoundWorkbook, buildPupilListLog, buildPupilListTemplate, type NotFoundRow } from '../application/handover-workbook.js';
import { GetEntry, GetPupilList, GetSchoolQueue, ListEntries, ListPupilLists, NotFoundPupils } from '../application/handover.queries.js';
import { ImportPupilList } from '../application/pupil-list-import.js';
import { GetSupplementForm, SaveSupplement } from '../application/supplement.js';
import type { EntryStatus, ImportIssue } from '../domain/pupil.js';
import {
  ConfirmEntryDto, CorrectEntryDto, DeleteEntryDto, EntryDto, EntryLineDto, PupilListDto, PupilListImportDto, SchoolQueueDto, SupplementAcceptedDto, SupplementFieldsDto, SupplementFormDto,
} from './handover.dto.js';

const listUuid = new ParseUUIDPipe({ exceptionFactory: () => new ProblemException(404, 'list-not-found', '新生名单不存在或不属于本校') });
const entryUuid = new ParseUUIDPipe({ exceptionFactory: () => new ProblemException(404, 'entry-not-found', '名单中没有该学生，或已删除') });
const STATUSES: EntryStatus[] = ['matched', 'to-confirm', 'not-found', 'none-match', 'supplemented'];
const PAGING = { defaultLimit: 50, maxLimit: 500 };
const binary = (description: string) => ({ description, content: { [XLSX]: { schema: { type: 'string' as const, format: 'binary' } } } });

/**
 * 学籍接续 for a primary school's registrar (issue 16): the new-pupil list template and upload,
 * the queue by status, each entry with its candidates, correction, deletion, confirmation,
 * supplement (which hands the record over) and the not-found export. Personal data travels in
 * bodies only: every path holds ids, never a name or ID number.
 */
@ApiTags('handover')
@ApiBearerAuth()
@Controller('handover')
export class HandoverController {
  constructor(private readonly commandBus: CommandBus, private readonly queryBus: QueryBus) {}

  @Get('template')
  @ApiProduces(XLSX)
  @ApiOperation({ summary: '下载新生名单（学前调档名单）模板：姓名、性别、出生日期、身份证件类型、身份证件号码五列（小学学籍管理员）' })
  @ApiOkResponse(binary('新生名单模板（.xlsx）'))
  @ApiProblems(403)
  async template(@CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) reply: FastifyReply) {
    if (principal.role !== 'school-registrar') throw new ProblemException(403, 'school-registrar-only', '学籍接续由小学的学籍管理员账号办理');
    xlsxAttachment(reply, '新生名单模板.xlsx', 'pupil-list-template.xlsx');
    return buildPupilListTemplate();
  }

  @Post('lists')
  @HttpCode(200)
  @ApiConsumes(XLSX, 'application/octet-stream')
  @ApiBody({ description: '填好的新生名单（.xlsx）作为请求体本身', schema: { type: 'string', format: 'binary' } })
  @ApiHeader({ name: 'X-File-Name', required: false, description: '文件名，URI 编码' })
  @ApiOperation({ summary: '导入新生名单：逐行校验（错误行写入校验日志），其余学生立即与全省学前学籍匹配（已匹配、待确认、未查到），整个名单一次保存' })
  @ApiOkResponse({ type: PupilListImportDto })
  @ApiProblems(400, 403, 413, 415, 422)
  upload(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Body() body: unknown, @Headers('x-file-name') fileName?: string) {
    if (!Buffer.isBuffer(body)) throw new ProblemException(415, 'pupil-list-file-type', '请上传新生名单（.xlsx）本身作为请求体，Content-Type 为 application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    return this.commandBus.execute(new ImportPupilList(principal, body, uploadedFileName(fileName), context));
  }

  @Get('lists')
  @ReadsProjections('handover')
  @ApiOperation({ summary: '本校导入的新生名单，最新的在前' })
  @ApiPaging(PAGING)
  @ApiPage(PupilListDto)
  @ApiProblems(403)
  lists(@CurrentPrincipal() principal: Principal, @Paging(PAGING) page: PageRequest) {
    return this.queryBus.execute(new ListPupilLists(principal, page.limit, page.cursor));
  }

  @Get('lists/:listId')
  @ReadsProjections('handover')
  @ApiOperation({ summary: '一个新生名单：各状态人数和导入数据校验日志' })
  @ApiOkResponse({ type: PupilListDto })
  @ApiProblems(403, 404)
  list(@CurrentPrincipal() principal: Principal, @Param('listId', listUuid) listId: string) {
    return this.queryBus.execute(new GetPupilList(principal, listId));
  }

  @Get('lists/:listId/log')
  @ReadsProjections('handover')
  @ApiProduces(XLSX)
  @ApiOperation({ summary: '下载新生名单的导入数据校验日志（Excel）：行号、列、填写的值、问题说明' })
  @ApiOkResponse(binary('校验日志（.xlsx）'))
  @ApiProblems(403, 404)
  async log(@CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) reply: FastifyReply, @Param('listId', listUuid) listId: string) {
    const doc = await this.queryBus.execute(new GetPupilList(principal, listId));
    xlsxAttachment(reply, `新生名单校验日志-${listId.slice(0, 8)}.xlsx`, 'pupil-list-log.xlsx');
    return buildPupilListLog({ listId, fileName: (doc['fileName'] as string | null) ?? null, rows: Number(doc['rows']), entries: Number(doc['entries']), failed: Number(doc['failed']), issues: doc['issues'] as ImportIssue[] });
  }

  @Get('queue')
  @ReadsProjections('handover')
  @ApiOperation({ summary: '本校学籍接续队列：各状态人数（已匹配、待确认、未查到、均不匹配、已补录）' })
  @ApiOkResponse({ type: SchoolQueueDto })
  @ApiProblems(403)
  queue(@CurrentPrincipal() principal: Principal) {
    return this.queryBus.execute(new GetSchoolQueue(principal));
  }

  @Get('entries')
  @ReadsProjections('handover')
  @ApiOperation({ summary: '本校新生（按状态或名单筛选；身份证件号码脱敏）' })
  @ApiQuery({ name: 'status', required: false, enum: STATUSES, description: '只列出该状态的学生' })
  @ApiQuery({ name: 'listId', required: false, type: String, description: '只列出该名单的学生（按行号排列）' })
  @ApiPaging(PAGING)
  @ApiPage(EntryLineDto)
  @ApiProblems(400, 403)
  entries(@CurrentPrincipal() principal: Principal, @Paging(PAGING) page: PageRequest, @Query('status') status?: string, @Query('listId') listId?: string) {
    if (status !== undefined && !STATUSES.includes(status as EntryStatus)) throw new ProblemException(400, 'invalid-status', `status 应为 ${STATUSES.join('、')} 之一`);
    if (listId !== undefined && !/^[0-9a-f-]{36}$/i.test(listId)) throw new ProblemException(400, 'invalid-list-id', 'listId 应为名单编号');
    return this.queryBus.execute(new ListEntries(principal, { ...(status ? { status: status as EntryStatus } : {}), ...(listId ? { listId } : {}) }, page.limit, page.cursor));
  }

  @Get('not-found')
  @ReadsProjections('handover')
  @ApiProduces(XLSX)
  @ApiOperation({ summary: '导出未查到学前学籍的学生（学籍系统新生模板格式的 Excel），供在学籍系统中新建学籍' })
  @ApiOkResponse(binary('未查到学前学籍的学生（.xlsx）'))
  @ApiProblems(403)
  async notFound(@CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) reply: FastifyReply) {
    const docs = (await this.queryBus.execute(new NotFoundPupils(principal))) as unknown as NotFoundRow[];
    xlsxAttachment(reply, '未查到学前学籍的学生.xlsx', 'pupils-not-found.xlsx');
    return buildNotFoundWorkbook(docs);
  }

  @Get('lists/:listId/entries/:entryId')
  @ReadsProjections('handover', 'records')
  @ApiOperation({ summary: '名单中的一名学生：匹配结果，待确认时的候选学籍（脱敏，含幼儿园和学籍号）' })
  @ApiOkResponse({ type: EntryDto })
  @ApiProblems(403, 404)
  entry(@CurrentPrincipal() principal: Principal, @Param('listId', listUuid) listId: string, @Param('entryId', entryUuid) entryId: string) {
    return this.queryBus.execute(new GetEntry(principal, listId, entryId));
  }

  @Put('lists/:listId/entries/:entryId')
  @ApiOperation({ summary: '修改尚未匹配的学生（待确认、未查到、均不匹配），并重新匹配；已匹配的不能修改' })
  @ApiOkResponse({ type: CommandAcceptedDto })
  @ApiProblems(403, 404, 422)
  async correct(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Res({ passthrough: true }) reply: FastifyReply, @Param('listId', listUuid) listId: string, @Param('entryId', entryUuid) entryId: string, @Body() body: CorrectEntryDto) {
    const outcome = await this.commandBus.execute(new CorrectEntry(principal, listId, entryId, { ...body }, context));
    return commandResponse(reply, entryId, outcome);
  }

  @Delete('lists/:listId/entries/:entryId')
  @HttpCode(200)
  @ApiOperation({ summary: '从名单中删除学生（已补录的不能删除）' })
  @ApiOkResponse({ type: CommandAcceptedDto })
  @ApiProblems(403, 404, 422)
  async remove(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Res({ passthrough: true }) reply: FastifyReply, @Param('listId', listUuid) listId: string, @Param('entryId', entryUuid) entryId: string, @Body() body: DeleteEntryDto = {}) {
    const outcome = await this.commandBus.execute(new DeleteEntry(principal, listId, entryId, body?.reason ?? '', context));
    return commandResponse(reply, entryId, outcome);
  }

  @Post('lists/:listId/entries/:entryId/confirm')
  @HttpCode(200)
  @ApiOperation({ summary: '确认待确认的学生：选定一个候选学籍，或确认均不匹配（recordId 为 null；修改学生信息可撤销）' })
  @ApiOkResponse({ type: CommandAcceptedDto })
  @ApiProblems(403, 404, 422)
  async confirm(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Res({ passthrough: true }) reply: FastifyReply, @Param('listId', listUuid) listId: string, @Param('entryId', entryUuid) entryId: string, @Body() body: ConfirmEntryDto) {
    const outcome = await this.commandBus.execute(new ConfirmCandidate(principal, listId, entryId, body.recordId, context));
    return commandResponse(reply, entryId, outcome);
  }

  @Get('lists/:listId/entries/:entryId/supplement')
  @ApiOperation({ summary: '补录表：17 项学前学籍信息预填，5 项关键信息锁定，其余 12 项可修改' })
  @ApiOkResponse({ type: SupplementFormDto })
  @ApiProblems(403, 404, 422)
  form(@CurrentPrincipal() principal: Principal, @Param('listId', listUuid) listId: string, @Param('entryId', entryUuid) entryId: string) {
    return this.queryBus.execute(new GetSupplementForm(principal, listId, entryId));
  }

  @Post('lists/:listId/entries/:entryId/supplement')
  @HttpCode(200)
  @ApiOperation({ summary: '保存补录：学前学籍接续到本校（记录接续事件；未毕业的幼儿随之离园）；一个学籍只能接续到一所小学，已被他校接续的会被拒绝并说明是哪所学校' })
  @ApiOkResponse({ type: SupplementAcceptedDto })
  @ApiProblems(403, 404, 409, 422)
  async supplement(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Res({ passthrough: true }) reply: FastifyReply, @Param('listId', listUuid) listId: string, @Param('entryId', entryUuid) entryId: string, @Body() body: SupplementFieldsDto) {
    const outcome = await this.commandBus.execute(new SaveSupplement(principal, listId, entryId, { ...body }, context));
    return { ...commandResponse(reply, entryId, outcome), handedOverAt: outcome.handedOverAt };
  }
}

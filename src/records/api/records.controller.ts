import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Query, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ApiPage, ApiProblems } from '../../shared/http/openapi.js';
import { RecordApprovedDto, RecordCommandDto, RecordEditedDto, RecordHistoryDto, RecordListItemDto, RecordViewDto, SubmissionSummaryDto } from './record-responses.dto.js';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, type Principal } from '../../accounts/contracts/index.js';
import { InBusiness } from '../../settings/contracts/index.js';
import { commandResponse } from '../../shared/http/command-response.js';
import { ReadsProjections } from '../../shared/http/consistency.interceptor.js';
import { ProblemException } from '../../shared/http/problem.js';
import { DeleteRecord, EditRecord, SaveRecord, SubmitRecords } from '../application/entry/record-entry.handlers.js';
import { ChangeKeyInformation, ReviewRecord } from '../application/review/record-review.handlers.js';
import { FindRecords, GetRecord, GetRecordHistory, type RecordSearch } from '../application/queries/record.queries.js';
import { ChildDto, DeleteDto, KeyChangeDto, RecordRejectDto, SubmitDto, toChild } from './record.dto.js';
import type { CommandContext } from '../../shared/command/command-path.js';
import { CommandCtx } from '../../shared/http/request-context.js';
import { ApiPaging, type PageRequest, Paging } from '../../shared/http/paging.js';

const uuid = new ParseUUIDPipe({ exceptionFactory: () => new ProblemException(404, 'record-not-found', '学籍记录不存在或不在您的管辖范围内') });

const STATUSES = ['saved', 'submitted', 'dedupe-passed', 'problem', 'rejected', 'numbered', 'void', 'left', 'cancelled'];
const PRESENCE = ['in', 'left'];

@ApiTags('records')
@ApiBearerAuth()
@Controller('records')
export class RecordsController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly queryBus: QueryBus,
  ) {}

  @Post()
  @InBusiness('record-registration')
  @HttpCode(201)
  @ApiOperation({ summary: '录入幼儿信息（保存）', description: '幼儿园业务账号录入，状态为“已保存”。超龄或未满 2 周岁的幼儿须带 confirmOverAge: true；本园已有的同一幼儿被拒绝（409 already-present）。' })
  @ApiCreatedResponse({ type: RecordCommandDto })
  @ApiProblems(403, 409, 422, 423)
  async save(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Res({ passthrough: true }) reply: FastifyReply, @Body() body: ChildDto) {
    const outcome = await this.commandBus.execute(new SaveRecord(principal, toChild(body), body.confirmOverAge === true, context));
    void reply.header('Location', `/api/v1/records/${outcome.state.recordId}`);
    return { ...commandResponse(reply, outcome.state.recordId, outcome), status: outcome.state.status };
  }

  @Put(':id')
  @InBusiness('record-registration')
  @HttpCode(200)
  @ApiHeader({ name: 'If-Match', required: false, description: '修改者看到的版本号（ETag）：其后有他人修改则返回 412' })
  @ApiOperation({ summary: '修改已保存、已驳回或问题学籍的记录', description: '审核通过的学籍只能通过关键信息变更修改；改成本园已有的同一幼儿被拒绝（409 already-present）。' })
  @ApiOkResponse({ type: RecordEditedDto })
  @ApiProblems(403, 404, 409, 412, 422, 423)
  async edit(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Res({ passthrough: true }) reply: FastifyReply, @Param('id', uuid) id: string, @Body() body: ChildDto) {
    const outcome = await this.commandBus.execute(new EditRecord(principal, id, toChild(body), body.confirmOverAge === true, context));
    return { ...commandResponse(reply, id, outcome), status: outcome.state.status, deduplication: outcome.deduplication };
  }

  @Delete(':id')
  @HttpCode(200)
  @ApiOperation({ summary: '删除已保存、已驳回或问题学籍的记录', description: '删除问题学籍须填写原因（reason）；审核通过的学籍不能直接删除。' })
  @ApiOkResponse({ type: RecordCommandDto })
  @ApiProblems(403, 404, 422)
  async remove(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Res({ passthrough: true }) reply: FastifyReply, @Param('id', uuid) id: string, @Body() body: DeleteDto = {}) {
    const outcome = await this.commandBus.execute(new DeleteRecord(principal, id, body?.reason ?? '', context));
    return { ...commandResponse(reply, id, outcome), status: outcome.state.status };
  }

  @Post('submit')
  @InBusiness('record-registration')
  @HttpCode(200)
  @ApiOperation({ summary: '提交所选记录或全部已保存的记录', description: '提交所选（recordIds）或全部已保存的记录（all: true）；每条立即进行省内查重并列出结果。' })
  @ApiOkResponse({ type: SubmissionSummaryDto })
  @ApiProblems(403, 423)
  async submit(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Res({ passthrough: true }) reply: FastifyReply, @Body() body: SubmitDto) {
    const selection = body.all === true ? ({ allSaved: true } as const) : { recordIds: body.recordIds ?? [] };
    const summary = await this.commandBus.execute(new SubmitRecords(principal, selection, context));
    void reply.header('X-Log-Position', String(summary.position));
    return summary;
  }

  @Post(':id/approve')
  @HttpCode(200)
  @ApiOperation({ summary: '审核通过', description: '本园审核账号审核通过查重通过的记录，立即生成幼儿学籍号（G + 身份证号，或 J 号）。' })
  @ApiOkResponse({ type: RecordApprovedDto })
  @ApiProblems(403, 404, 422)
  async approve(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Res({ passthrough: true }) reply: FastifyReply, @Param('id', uuid) id: string) {
    const outcome = await this.commandBus.execute(new ReviewRecord(principal, id, { approve: true }, context));
    return { ...commandResponse(reply, id, outcome), status: outcome.state.status, recordNumber: outcome.state.recordNumber };
  }

  @Post(':id/reject')
  @HttpCode(200)
  @ApiOperation({ summary: '审核驳回（须填写原因）', description: '记录进入“已驳回”列表，可修改后重新提交或删除。' })
  @ApiOkResponse({ type: RecordCommandDto })
  @ApiProblems(403, 404, 422)
  async reject(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Res({ passthrough: true }) reply: FastifyReply, @Param('id', uuid) id: string, @Body() body: RecordRejectDto) {
    const outcome = await this.commandBus.execute(new ReviewRecord(principal, id, { approve: false, reason: body.reason }, context));
    return { ...commandResponse(reply, id, outcome), status: outcome.state.status };
  }

  @Post(':id/key-information')
  @InBusiness('key-information-change')
  @HttpCode(200)
  @ApiOperation({ summary: '关键信息变更', description: '审核账号变更已审核通过学籍的关键信息：重新查重和审核，学籍号不变。' })
  @ApiOkResponse({ type: RecordEditedDto })
  @ApiProblems(403, 404, 409, 422, 423)
  async changeKey(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Res({ passthrough: true }) reply: FastifyReply, @Param('id', uuid) id: string, @Body() body: KeyChangeDto) {
    const key = { name: body.name, gender: body.gender, birthDate: body.birthDate, idType: body.idType, idNumber: body.idNumber ?? null };
    const outcome = await this.commandBus.execute(new ChangeKeyInformation(principal, id, key, body.confirmOverAge === true, body.reason, context));
    return { ...commandResponse(reply, id, outcome), status: outcome.state.status, deduplication: outcome.deduplication };
  }

  @Get()
  @ReadsProjections('records')
  @ApiOperation({ summary: '查询管辖范围内的学籍', description: '幼儿园：本园的记录；县级及以上：审核通过的学籍和问题学籍。证件号码按角色脱敏。' })
  @ApiQuery({ name: 'status', required: false, enum: STATUSES, description: '记录状态' })
  @ApiQuery({ name: 'name', required: false, description: '姓名（从开头匹配）' })
  @ApiQuery({ name: 'idNumber', required: false, description: '证件号码' })
  @ApiQuery({ name: 'recordNumber', required: false, description: '幼儿学籍号' })
  @ApiQuery({ name: 'institutionCode', required: false, description: '机构标识码' })
  @ApiQuery({ name: 'classId', required: false, description: '班级' })
  @ApiQuery({ name: 'importBatchId', required: false, description: '导入批次' })
  @ApiQuery({ name: 'presence', required: false, enum: PRESENCE, description: 'in：在园（已有学籍号）；left：已离园（离园或注销）' })
  @ApiPage(RecordListItemDto)
  @ApiProblems(400)
  @ApiPaging()
  search(@CurrentPrincipal() principal: Principal, @Paging() page: PageRequest, @Query() query: Record<string, string | undefined>) {
    if (query['status'] && !STATUSES.includes(query['status'])) {
      throw new ProblemException(400, 'invalid-status', `status 应为 ${STATUSES.join('/')}`, [{ field: 'status', code: 'invalid-status', message: '不是有效的记录状态', value: query['status'] }]);
    }
    if (query['presence'] && !PRESENCE.includes(query['presence'])) {
      throw new ProblemException(400, 'invalid-presence', 'presence 应为 in（在园）或 left（已离园）', [{ field: 'presence', code: 'invalid-presence', message: '应为 in 或 left', value: query['presence'] }]);
    }
    const search: RecordSearch = {};
    for (const key of ['status', 'name', 'idNumber', 'recordNumber', 'institutionCode', 'classId', 'importBatchId', 'presence'] as const) if (query[key]) search[key] = query[key];
    return this.queryBus.execute(new FindRecords(principal, search, 'newest', page.limit, page.cursor));
  }

  @Get('saved')
  @ReadsProjections('records')
  @ApiOperation({ summary: '本园已保存（未提交）的记录，最早的在前' })
  @ApiPage(RecordListItemDto)
  @ApiProblems(403)
  @ApiPaging()
  saved(@CurrentPrincipal() principal: Principal, @Paging() page: PageRequest) {
    return this.queryBus.execute(new FindRecords(principal, { status: 'saved' }, 'oldest', page.limit, page.cursor));
  }

  @Get('review-queue')
  @ReadsProjections('records')
  @ApiOperation({ summary: '本园审核队列：省内查重通过的记录，最早的在前' })
  @ApiPage(RecordListItemDto)
  @ApiProblems(403)
  @ApiPaging()
  reviewQueue(@CurrentPrincipal() principal: Principal, @Paging() page: PageRequest) {
    return this.queryBus.execute(new FindRecords(principal, { status: 'dedupe-passed' }, 'oldest', page.limit, page.cursor));
  }

  @Get('rejected')
  @ReadsProjections('records')
  @ApiOperation({ summary: '已驳回的记录及驳回原因：修改后重新提交，或删除' })
  @ApiPage(RecordListItemDto)
  @ApiProblems(403)
  @ApiPaging()
  rejected(@CurrentPrincipal() principal: Principal, @Paging() page: PageRequest) {
    return this.queryBus.execute(new FindRecords(principal, { status: 'rejected' }, 'oldest', page.limit, page.cursor));
  }

  @Get('problems')
  @ReadsProjections('records')
  @ApiOperation({ summary: '问题学籍：与省内其他记录查重重复的记录' })
  @ApiPage(RecordListItemDto)
  @ApiProblems(403)
  @ApiPaging()
  problems(@CurrentPrincipal() principal: Principal, @Paging() page: PageRequest) {
    return this.queryBus.execute(new FindRecords(principal, { status: 'problem' }, 'oldest', page.limit, page.cursor));
  }

  @Get(':id')
  @ApiQuery({ name: 'asOf', required: false, description: 'ISO 8601 时间：该时间点的记录' })
  @ApiOperation({ summary: '一条学籍记录', description: '从事件流读取（总是最新），或 asOf 时间点的状态。' })
  @ApiOkResponse({ type: RecordViewDto })
  @ApiProblems(400, 404)
  async get(@CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) reply: FastifyReply, @Param('id', uuid) id: string, @Query('asOf') asOf?: string) {
    const view = await this.queryBus.execute(new GetRecord(principal, id, asOf));
    void reply.header('ETag', `"${String(view['revision'])}"`);
    return view;
  }

  @Get(':id/history')
  @ApiOperation({ summary: '学籍记录的全部历史：操作人、时间和原因' })
  @ApiOkResponse({ type: RecordHistoryDto })
  @ApiProblems(404)
  history(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string) {
    return this.queryBus.execute(new GetRecordHistory(principal, id));
  }
}

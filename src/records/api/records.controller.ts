import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Query, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
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
  @ApiOperation({ summary: 'The institution’s business account enters a child (state: saved). An over-age child needs confirmOverAge: true' })
  async save(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Res({ passthrough: true }) reply: FastifyReply, @Body() body: ChildDto) {
    const outcome = await this.commandBus.execute(new SaveRecord(principal, toChild(body), body.confirmOverAge === true, context));
    void reply.header('Location', `/api/v1/records/${outcome.state.recordId}`);
    return { ...commandResponse(reply, outcome.state.recordId, outcome), status: outcome.state.status };
  }

  @Put(':id')
  @InBusiness('record-registration')
  @HttpCode(200)
  @ApiHeader({ name: 'If-Match', required: false, description: 'the revision (ETag) the editor saw: a later change answers 412' })
  @ApiOperation({ summary: 'Edit a saved or rejected record (an approved record changes only through key-information change)' })
  async edit(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Res({ passthrough: true }) reply: FastifyReply, @Param('id', uuid) id: string, @Body() body: ChildDto) {
    const outcome = await this.commandBus.execute(new EditRecord(principal, id, toChild(body), body.confirmOverAge === true, context));
    return { ...commandResponse(reply, id, outcome), status: outcome.state.status, deduplication: outcome.deduplication };
  }

  @Delete(':id')
  @HttpCode(200)
  @ApiOperation({ summary: 'Delete a saved record, or a rejected one from the rejected list (an approved record is never deleted directly)' })
  async remove(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Res({ passthrough: true }) reply: FastifyReply, @Param('id', uuid) id: string, @Body() body: DeleteDto = {}) {
    const outcome = await this.commandBus.execute(new DeleteRecord(principal, id, body?.reason ?? '删除未生效的记录', context));
    return { ...commandResponse(reply, id, outcome), status: outcome.state.status };
  }

  @Post('submit')
  @InBusiness('record-registration')
  @HttpCode(200)
  @ApiOperation({ summary: 'Submit a selection (recordIds) or every saved record (all: true); each runs province de-duplication at once and its outcome is listed' })
  async submit(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Res({ passthrough: true }) reply: FastifyReply, @Body() body: SubmitDto) {
    const selection = body.all === true ? ({ allSaved: true } as const) : { recordIds: body.recordIds ?? [] };
    const summary = await this.commandBus.execute(new SubmitRecords(principal, selection, context));
    void reply.header('X-Log-Position', String(summary.position));
    return summary;
  }

  @Post(':id/approve')
  @HttpCode(200)
  @ApiOperation({ summary: 'The institution’s review account approves a record that passed de-duplication; its record number is issued at once (G + ID number, or a J number)' })
  async approve(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Res({ passthrough: true }) reply: FastifyReply, @Param('id', uuid) id: string) {
    const outcome = await this.commandBus.execute(new ReviewRecord(principal, id, { approve: true }, context));
    return { ...commandResponse(reply, id, outcome), status: outcome.state.status, recordNumber: outcome.state.recordNumber };
  }

  @Post(':id/reject')
  @HttpCode(200)
  @ApiOperation({ summary: 'The review account rejects with a reason: the record goes to the rejected list (edit and resubmit, or delete)' })
  async reject(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Res({ passthrough: true }) reply: FastifyReply, @Param('id', uuid) id: string, @Body() body: RecordRejectDto) {
    const outcome = await this.commandBus.execute(new ReviewRecord(principal, id, { approve: false, reason: body.reason }, context));
    return { ...commandResponse(reply, id, outcome), status: outcome.state.status };
  }

  @Post(':id/key-information')
  @InBusiness('key-information-change')
  @HttpCode(200)
  @ApiOperation({ summary: '关键信息变更 by the review account on an approved record: de-duplication and review again; the record number stays' })
  async changeKey(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Res({ passthrough: true }) reply: FastifyReply, @Param('id', uuid) id: string, @Body() body: KeyChangeDto) {
    const key = { name: body.name, gender: body.gender, birthDate: body.birthDate, idType: body.idType, idNumber: body.idNumber ?? null };
    const outcome = await this.commandBus.execute(new ChangeKeyInformation(principal, id, key, body.confirmOverAge === true, body.reason, context));
    return { ...commandResponse(reply, id, outcome), status: outcome.state.status, deduplication: outcome.deduplication };
  }

  @Get()
  @ReadsProjections('records')
  @ApiOperation({ summary: 'Search within the caller’s jurisdiction (institution: its own; county and above: approved records and problem records). ID numbers masked unless the role may see them' })
  @ApiQuery({ name: 'status', required: false, enum: STATUSES })
  @ApiQuery({ name: 'name', required: false, description: 'matches from the start of the name' })
  @ApiQuery({ name: 'idNumber', required: false })
  @ApiQuery({ name: 'recordNumber', required: false })
  @ApiQuery({ name: 'institutionCode', required: false })
  @ApiQuery({ name: 'classId', required: false })
  @ApiQuery({ name: 'importBatchId', required: false })
  @ApiQuery({ name: 'presence', required: false, enum: PRESENCE, description: 'in: 在园 (numbered); left: 已离园 (left or cancelled)' })
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
  @ApiOperation({ summary: 'The institution’s saved (not yet submitted) records, oldest first' })
  @ApiPaging()
  saved(@CurrentPrincipal() principal: Principal, @Paging() page: PageRequest) {
    return this.queryBus.execute(new FindRecords(principal, { status: 'saved' }, 'oldest', page.limit, page.cursor));
  }

  @Get('review-queue')
  @ReadsProjections('records')
  @ApiOperation({ summary: 'The institution’s review queue: records that passed province de-duplication, oldest first' })
  @ApiPaging()
  reviewQueue(@CurrentPrincipal() principal: Principal, @Paging() page: PageRequest) {
    return this.queryBus.execute(new FindRecords(principal, { status: 'dedupe-passed' }, 'oldest', page.limit, page.cursor));
  }

  @Get('rejected')
  @ReadsProjections('records')
  @ApiOperation({ summary: 'Rejected records with the reviewer’s reason: edit and resubmit, or delete' })
  @ApiPaging()
  rejected(@CurrentPrincipal() principal: Principal, @Paging() page: PageRequest) {
    return this.queryBus.execute(new FindRecords(principal, { status: 'rejected' }, 'oldest', page.limit, page.cursor));
  }

  @Get('problems')
  @ReadsProjections('records')
  @ApiOperation({ summary: 'Problem records (问题学籍): entries that share a de-duplication key with another record in the province' })
  @ApiPaging()
  problems(@CurrentPrincipal() principal: Principal, @Paging() page: PageRequest) {
    return this.queryBus.execute(new FindRecords(principal, { status: 'problem' }, 'oldest', page.limit, page.cursor));
  }

  @Get(':id')
  @ApiQuery({ name: 'asOf', required: false, description: 'ISO time: the record as it stood then' })
  @ApiOperation({ summary: 'One record, read from its event stream (always current), or as it stood at asOf' })
  async get(@CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) reply: FastifyReply, @Param('id', uuid) id: string, @Query('asOf') asOf?: string) {
    const view = await this.queryBus.execute(new GetRecord(principal, id, asOf));
    void reply.header('ETag', `"${String(view['revision'])}"`);
    return view;
  }

  @Get(':id/history')
  @ApiOperation({ summary: 'Every event of the record with actor, time and reason' })
  history(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string) {
    return this.queryBus.execute(new GetRecordHistory(principal, id));
  }
}

import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, type Principal } from '../../accounts/contracts/index.js';
import { InBusiness } from '../../settings/contracts/index.js';
import type { CommandContext, CommandOutcome } from '../../shared/command/command-path.js';
import { commandResponse } from '../../shared/http/command-response.js';
import { ReadsProjections } from '../../shared/http/consistency.interceptor.js';
import { ApiPage, ApiProblems } from '../../shared/http/openapi.js';
import { ApiPaging, type PageRequest, Paging } from '../../shared/http/paging.js';
import { ProblemException } from '../../shared/http/problem.js';
import { CommandCtx } from '../../shared/http/request-context.js';
import { ApplyForTransfer, CompleteTransfer, DecideTransfer } from '../application/transfer.handlers.js';
import { GetTransfer, GetTransferTimeline, ListOverdueTransfers, ListTransferQueue, ListTransfers, LookUpChild } from '../application/transfer.queries.js';
import type { TransferState } from '../domain/transfer.decider.js';
import { ChildLookupDto, RecordNumberDto, RefuseDto, TimelineDto, TransferAcceptedDto, TransferDto, WithdrawDto } from './transfers.dto.js';

const transferUuid = new ParseUUIDPipe({ exceptionFactory: () => new ProblemException(404, 'transfer-not-found', '调转申请不存在或不在您的管辖范围内') });
const STATUSES = ['applied', 'ready', 'refused', 'withdrawn', 'completed'];

function statusOf(status: string | undefined): string | undefined {
  if (status && !STATUSES.includes(status)) throw new ProblemException(400, 'invalid-status', `status 应为 ${STATUSES.join('/')}`, [{ field: 'status', code: 'invalid-status', message: '不是有效的申请状态', value: status }]);
  return status || undefined;
}

const answer = (reply: FastifyReply, id: string, outcome: CommandOutcome<TransferState>) => ({ ...commandResponse(reply, id, outcome), status: outcome.state.status });

/**
 * 幼儿调转 (issue 15): the receiving kindergarten looks the child up by record number (in the
 * body: a G number holds the ID number) and applies; the sending one agrees or refuses; the
 * receiving one completes. Queues per kindergarten, lists and overdue transfers per county.
 */
@ApiTags('transfers')
@ApiBearerAuth()
@Controller('transfers')
export class TransfersController {
  constructor(private readonly commandBus: CommandBus, private readonly queryBus: QueryBus) {}

  @Post('lookup')
  @HttpCode(200)
  @ApiOperation({ summary: '按学籍号查询幼儿（转入园业务账号）：只返回姓名、脱敏的身份证件号码、所在幼儿园和学籍状态' })
  @ApiOkResponse({ type: ChildLookupDto })
  @ApiProblems(403, 404, 503)
  lookUp(@CurrentPrincipal() principal: Principal, @Body() body: RecordNumberDto) {
    return this.queryBus.execute(new LookUpChild(principal, body.recordNumber));
  }

  @Post()
  @InBusiness('record-transfer')
  @HttpCode(201)
  @ApiOperation({ summary: '转入申请（转入园业务账号）：按学籍号申请；幼儿已办理转出离园的无需转出园再审批。每名幼儿同时只能有一个未办结的申请' })
  @ApiCreatedResponse({ type: TransferAcceptedDto })
  @ApiProblems(403, 404, 409, 422, 503)
  async apply(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Res({ passthrough: true }) reply: FastifyReply, @Body() body: RecordNumberDto) {
    const outcome: CommandOutcome<TransferState> = await this.commandBus.execute(new ApplyForTransfer(principal, body.recordNumber, context));
    return answer(reply, outcome.state.transferId, outcome);
  }

  @Get('waiting-for-me')
  @ReadsProjections('transfers')
  @ApiOperation({ summary: '待我办理（幼儿园）：待本园同意的转出申请、待本园办结的转入申请，最早的在前' })
  @ApiPaging()
  @ApiPage(TransferDto)
  @ApiProblems(403)
  waitingForMe(@CurrentPrincipal() principal: Principal, @Paging() page: PageRequest) {
    return this.queryBus.execute(new ListTransferQueue(principal, 'waiting-for-me', page.limit, page.cursor));
  }

  @Get('waiting-for-them')
  @ReadsProjections('transfers')
  @ApiOperation({ summary: '等待对方办理（幼儿园）：本园已申请、待转出园审批的，以及本园已同意、待转入园办结的' })
  @ApiPaging()
  @ApiPage(TransferDto)
  @ApiProblems(403)
  waitingForThem(@CurrentPrincipal() principal: Principal, @Paging() page: PageRequest) {
    return this.queryBus.execute(new ListTransferQueue(principal, 'waiting-for-them', page.limit, page.cursor));
  }

  @Get('overdue')
  @ReadsProjections('transfers')
  @ApiOperation({ summary: '超期未办结的调转（已过申请日起 30 个工作日的期限）：转出或转入一方在管辖范围内的，含已过工作日数；节假日安排尚未载入、暂无法判断的也列出（overdue 为 null）' })
  @ApiPaging()
  @ApiPage(TransferDto)
  @ApiProblems(403)
  overdue(@CurrentPrincipal() principal: Principal, @Paging() page: PageRequest) {
    return this.queryBus.execute(new ListOverdueTransfers(principal, page.limit, page.cursor));
  }

  @Get('incoming')
  @ReadsProjections('transfers')
  @ApiOperation({ summary: '调入列表：幼儿园看转入本园的，县（区）及以上看转入管辖范围内幼儿园的；status=completed 为已调入' })
  @ApiQuery({ name: 'status', required: false, enum: STATUSES, description: '申请状态' })
  @ApiPaging()
  @ApiPage(TransferDto)
  @ApiProblems(400, 403)
  incoming(@CurrentPrincipal() principal: Principal, @Paging() page: PageRequest, @Query('status') status?: string) {
    return this.queryBus.execute(new ListTransfers(principal, 'in', statusOf(status), page.limit, page.cursor));
  }

  @Get('outgoing')
  @ReadsProjections('transfers')
  @ApiOperation({ summary: '调出列表：幼儿园看从本园转出的，县（区）及以上看从管辖范围内幼儿园转出的；status=completed 为已调出' })
  @ApiQuery({ name: 'status', required: false, enum: STATUSES, description: '申请状态' })
  @ApiPaging()
  @ApiPage(TransferDto)
  @ApiProblems(400, 403)
  outgoing(@CurrentPrincipal() principal: Principal, @Paging() page: PageRequest, @Query('status') status?: string) {
    return this.queryBus.execute(new ListTransfers(principal, 'out', statusOf(status), page.limit, page.cursor));
  }

  @Get(':id')
  @ApiOperation({ summary: '调转申请详情（双方幼儿园及其上级）' })
  @ApiOkResponse({ type: TransferDto })
  @ApiProblems(403, 404)
  get(@CurrentPrincipal() principal: Principal, @Param('id', transferUuid) id: string) {
    return this.queryBus.execute(new GetTransfer(principal, id));
  }

  @Get(':id/timeline')
  @ApiOperation({ summary: '调转申请的办理过程：每一步的办理人、时间和原因' })
  @ApiOkResponse({ type: TimelineDto })
  @ApiProblems(403, 404)
  timeline(@CurrentPrincipal() principal: Principal, @Param('id', transferUuid) id: string) {
    return this.queryBus.execute(new GetTransferTimeline(principal, id));
  }

  @Post(':id/agree')
  @InBusiness('record-transfer')
  @HttpCode(200)
  @ApiOperation({ summary: '转出园同意（转出园业务账号）' })
  @ApiOkResponse({ type: TransferAcceptedDto })
  @ApiProblems(403, 404, 409, 412, 422)
  async agree(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Res({ passthrough: true }) reply: FastifyReply, @Param('id', transferUuid) id: string) {
    return answer(reply, id, await this.commandBus.execute(new DecideTransfer(principal, id, { type: 'agree' }, context)));
  }

  @Post(':id/refuse')
  @HttpCode(200)
  @ApiOperation({ summary: '转出园不同意（须填写原因）：幼儿的学籍不变' })
  @ApiOkResponse({ type: TransferAcceptedDto })
  @ApiProblems(403, 404, 409, 412, 422)
  async refuse(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Res({ passthrough: true }) reply: FastifyReply, @Param('id', transferUuid) id: string, @Body() body: RefuseDto) {
    return answer(reply, id, await this.commandBus.execute(new DecideTransfer(principal, id, { type: 'refuse', reason: body.reason }, context)));
  }

  @Post(':id/withdraw')
  @HttpCode(200)
  @ApiOperation({ summary: '转入园撤回申请（办结前）：幼儿的学籍不变' })
  @ApiOkResponse({ type: TransferAcceptedDto })
  @ApiProblems(403, 404, 409, 412)
  async withdraw(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Res({ passthrough: true }) reply: FastifyReply, @Param('id', transferUuid) id: string, @Body() body: WithdrawDto) {
    return answer(reply, id, await this.commandBus.execute(new DecideTransfer(principal, id, { type: 'withdraw', reason: body.reason ?? '' }, context)));
  }

  @Post(':id/complete')
  @InBusiness('record-transfer')
  @HttpCode(200)
  @ApiOperation({ summary: '转入园办结：学籍转入本园（学籍号和全部历史不变），幼儿离开原班级；仅查重通过的学籍须由本园审核账号审核通过后才能分班' })
  @ApiOkResponse({ type: TransferAcceptedDto })
  @ApiProblems(403, 404, 409, 412, 422)
  async complete(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Res({ passthrough: true }) reply: FastifyReply, @Param('id', transferUuid) id: string) {
    return answer(reply, id, await this.commandBus.execute(new CompleteTransfer(principal, id, context)));
  }
}

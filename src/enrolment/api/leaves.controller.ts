import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { type AuthenticatedRequest, CurrentPrincipal, type Principal } from '../../accounts/contracts/index.js';
import { InBusiness } from '../../settings/contracts/index.js';
import type { CommandContext } from '../../shared/command/command-path.js';
import type { CommandOutcome } from '../../shared/command/command-path.js';
import { commandResponse } from '../../shared/http/command-response.js';
import { ReadsProjections } from '../../shared/http/consistency.interceptor.js';
import { readUpload } from '../../shared/http/multipart-upload.js';
import { ApiPaging, type PageRequest, Paging } from '../../shared/http/paging.js';
import { ProblemException } from '../../shared/http/problem.js';
import { CommandCtx } from '../../shared/http/request-context.js';
import { LeaveKindergarten } from '../application/leaves/leave.handlers.js';
import { LeaveHistory, ListRestorations } from '../application/queries/enrolment.queries.js';
import { ApplyForRestoration, ReviewRestoration } from '../application/restorations/restoration.handlers.js';
import { LeaveDto, ProofFormDto, RestorationDto, RestorationRejectDto } from './enrolment.dto.js';
import { ApiProblems } from './errors.js';
import { AcceptedDto, LeaveAcceptedDto, LeavePageDto, RestorationPageDto } from './responses.dto.js';

const recordUuid = new ParseUUIDPipe({ exceptionFactory: () => new ProblemException(404, 'record-not-found', '学籍记录不存在或不在您的管辖范围内') });
const applicationUuid = new ParseUUIDPipe({ exceptionFactory: () => new ProblemException(404, 'restoration-not-found', '恢复申请不存在或不在您的管辖范围内') });

/** Accident proof: the evidence files' rule (PDF, JPEG or PNG by magic bytes, at most 5 files of 10 MB, 20 MB in all). */
const PROOF_LIMITS = { maxFiles: 5, maxFileBytes: 10 * 1024 * 1024, maxTotalBytes: 20 * 1024 * 1024, allowedTypes: ['application/pdf', 'image/jpeg', 'image/png'], maxFieldBytes: 4096 } as const;

const leaveAnswer = (reply: FastifyReply, id: string, outcome: CommandOutcome<unknown>) => ({ ...commandResponse(reply, id, outcome), status: (outcome.state as { status: string }).status });

@ApiTags('leaves')
@ApiBearerAuth()
@Controller('leaves')
export class LeavesController {
  constructor(private readonly commandBus: CommandBus, private readonly queryBus: QueryBus) {}

  @Get()
  @ReadsProjections('enrolment')
  @ApiOperation({ summary: '历史离园：离园过的幼儿及其每一次离园（类型、日期、所在班级、原因）' })
  @ApiPaging()
  @ApiOkResponse({ type: LeavePageDto })
  @ApiProblems(403)
  history(@CurrentPrincipal() principal: Principal, @Paging() page: PageRequest) {
    return this.queryBus.execute(new LeaveHistory(principal, page.limit, page.cursor));
  }

  @Post(':recordId')
  @HttpCode(200)
  @ApiOperation({ summary: '离园：转出、毕业、休学或其他，附离园日期和原因；幼儿随即离开班级。学籍号永不重复使用' })
  @ApiOkResponse({ type: LeaveAcceptedDto })
  @ApiProblems(400, 403, 404, 409, 422)
  async leave(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Res({ passthrough: true }) reply: FastifyReply, @Param('recordId', recordUuid) recordId: string, @Body() body: LeaveDto) {
    const outcome = await this.commandBus.execute(new LeaveKindergarten(principal, recordId, { type: 'normal', leaveType: body.leaveType, leaveDate: body.leaveDate, reason: body.reason }, context));
    return leaveAnswer(reply, recordId, outcome);
  }

  @Post(':recordId/accident')
  @HttpCode(200)
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: ProofFormDto })
  @ApiOperation({ summary: '发生意外离园：注销学籍，须上传证明材料，并在意外发生后 30 个工作日内办理（按国家法定节假日和调休计算）' })
  @ApiOkResponse({ type: LeaveAcceptedDto })
  @ApiProblems(400, 403, 404, 409, 413, 415, 422)
  async accident(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Req() req: AuthenticatedRequest, @Res({ passthrough: true }) reply: FastifyReply, @Param('recordId', recordUuid) recordId: string) {
    const upload = await readUpload(req, PROOF_LIMITS);
    const accidentDate = upload.fields['accidentDate'] ?? '';
    const reason = upload.fields['reason'] ?? '';
    const errors = [];
    if (!/^\d{4}-\d{2}-\d{2}$/.test(accidentDate)) errors.push({ field: 'accidentDate', code: 'invalid-date', message: '意外发生日期应为 YYYY-MM-DD' });
    if (reason.trim().length < 2 || reason.length > 500) errors.push({ field: 'reason', code: 'reason-required', message: '请填写意外离园的情况说明（2-500 字）' });
    if (upload.files.length === 0) errors.push({ field: 'files', code: 'proof-required', message: '意外离园须上传证明材料（PDF、JPEG 或 PNG）' });
    if (errors.length > 0) throw new ProblemException(400, 'validation-failed', '意外离园信息不完整，请按提示补充', errors);
    const outcome = await this.commandBus.execute(new LeaveKindergarten(principal, recordId, { type: 'accident', accidentDate, reason, proof: upload.files.map((f) => f.bytes) }, context));
    return leaveAnswer(reply, recordId, outcome);
  }
}

@ApiTags('restorations')
@ApiBearerAuth()
@Controller('restorations')
export class RestorationsController {
  constructor(private readonly commandBus: CommandBus, private readonly queryBus: QueryBus) {}

  @Post()
  @InBusiness('record-restoration')
  @HttpCode(201)
  @ApiOperation({ summary: '幼儿信息恢复申请：幼儿园选择类别和幼儿并说明原因，由所在县（区）审核' })
  @ApiCreatedResponse({ type: AcceptedDto })
  @ApiProblems(400, 403, 422)
  async apply(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Res({ passthrough: true }) reply: FastifyReply, @Body() body: RestorationDto) {
    const outcome = await this.commandBus.execute(new ApplyForRestoration(principal, body.category, body.recordIds, body.reason, context));
    return commandResponse(reply, outcome.state.applicationId, outcome);
  }

  @Get()
  @ReadsProjections('enrolment')
  @ApiOperation({ summary: '恢复申请列表（县级审核：待审核的最早在前，含已等待时长）' })
  @ApiQuery({ name: 'status', required: false, enum: ['pending', 'approved', 'rejected'] })
  @ApiPaging()
  @ApiOkResponse({ type: RestorationPageDto })
  @ApiProblems(400, 403)
  list(@CurrentPrincipal() principal: Principal, @Paging() page: PageRequest, @Query('status') status?: string) {
    if (status && !['pending', 'approved', 'rejected'].includes(status)) throw new ProblemException(400, 'invalid-status', 'status 应为 pending/approved/rejected', [{ field: 'status', code: 'invalid-status', message: '不是有效的申请状态', value: status }]);
    return this.queryBus.execute(new ListRestorations(principal, status, page.limit, page.cursor));
  }

  @Post(':id/approve')
  @HttpCode(200)
  @ApiOperation({ summary: '县级审核通过：每名幼儿按原样恢复（状态、班级、学籍号），全部以新事件记录' })
  @ApiOkResponse({ type: AcceptedDto })
  @ApiProblems(403, 404, 409)
  async approve(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Res({ passthrough: true }) reply: FastifyReply, @Param('id', applicationUuid) id: string) {
    return commandResponse(reply, id, await this.commandBus.execute(new ReviewRestoration(principal, id, { approve: true }, context)));
  }

  @Post(':id/reject')
  @HttpCode(200)
  @ApiOperation({ summary: '县级驳回（须填写原因）：幼儿状态不变' })
  @ApiOkResponse({ type: AcceptedDto })
  @ApiProblems(400, 403, 404, 409)
  async reject(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Res({ passthrough: true }) reply: FastifyReply, @Param('id', applicationUuid) id: string, @Body() body: RestorationRejectDto) {
    return commandResponse(reply, id, await this.commandBus.execute(new ReviewRestoration(principal, id, { approve: false, reason: body.reason }, context)));
  }
}

import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { type AuthenticatedRequest, CurrentPrincipal, type Principal } from '../../accounts/contracts/index.js';
import type { CommandContext } from '../../shared/command/command-path.js';
import { commandResponse } from '../../shared/http/command-response.js';
import { ReadsProjections } from '../../shared/http/consistency.interceptor.js';
import { readUpload } from '../../shared/http/multipart-upload.js';
import { ApiPage, ApiProblems, CommandAcceptedDto } from '../../shared/http/openapi.js';
import { ApiPaging, type PageRequest, Paging } from '../../shared/http/paging.js';
import { ProblemException } from '../../shared/http/problem.js';
import { CommandCtx } from '../../shared/http/request-context.js';
import { XLSX, xlsxAttachment } from '../../shared/http/spreadsheet-files.js';
import { ActOnDeclaration, type DeclarationContent, DeclareChange } from '../application/declarations/declaration.handlers.js';
import { CountOverdueDeclarations, type DeclarationFilter, ExportDeclarations, GetDeclaration, GetDeclarationAttachment, ListDeclarations } from '../application/declarations/declaration.queries.js';
import { DECLARATIONS_TAG } from './declaration-kinds.controller.js';
import { DeclarationDetailDto, DeclarationView, OverdueCountsDto } from './responses.dto.js';
import { OpinionDto, RejectDto, WithdrawDto } from './supervision.dto.js';

const NOT_FOUND = '异动申报不存在或不在您的管辖范围内';
const declarationUuid = new ParseUUIDPipe({ exceptionFactory: () => new ProblemException(404, 'declaration-not-found', NOT_FOUND) });
const STATUSES = ['pending', 'approved', 'rejected', 'acknowledged', 'withdrawn'];

/** Attachments: PDF, JPEG or PNG (by magic bytes), as the problem-record evidence. */
const ATTACHMENT_LIMITS = { maxFiles: 10, maxFileBytes: 10 * 1024 * 1024, maxTotalBytes: 30 * 1024 * 1024, allowedTypes: ['application/pdf', 'image/jpeg', 'image/png'], maxFieldBytes: 16 * 1024, minFiles: 0 } as const;

const MULTIPART_BODY = {
  schema: {
    type: 'object',
    required: ['reason'],
    properties: {
      kindId: { type: 'string', format: 'uuid', description: '异动类型编号（新申报时必填）' },
      reason: { type: 'string', description: '异动原因（重新提交时为修改说明），2-500 字' },
      fields: { type: 'string', description: '填写项，JSON 对象：{"newPrincipal":"王园长"}（键为异动类型的填写项代码）' },
    },
    additionalProperties: { type: 'string', format: 'binary', description: '附件：表单字段名为异动类型的附件项代码（如 appointment）；PDF、JPEG 或 PNG，每个不超过 10 MB，最多 10 个' },
  },
};

async function contentOf(req: AuthenticatedRequest): Promise<{ kindId: string; content: DeclarationContent }> {
  const upload = await readUpload(req, ATTACHMENT_LIMITS);
  let fields: unknown = {};
  try {
    fields = JSON.parse(upload.fields['fields'] ?? '{}');
  } catch {
    fields = null;
  }
  if (!fields || typeof fields !== 'object' || Array.isArray(fields) || Object.values(fields).some((v) => typeof v !== 'string')) {
    throw new ProblemException(400, 'invalid-fields', '填写项应为 JSON 对象，每项的值为文字', [{ field: 'fields', code: 'invalid-fields', message: '应为 {"代码":"内容"} 形式的 JSON 对象' }]);
  }
  return { kindId: upload.fields['kindId'] ?? '', content: { fields: fields as Record<string, string>, reason: upload.fields['reason'] ?? '', files: upload.files } };
}

function filterOf(status?: string, institutionCode?: string, overdue?: string): DeclarationFilter {
  if (status && !STATUSES.includes(status)) throw new ProblemException(400, 'invalid-status', `status 应为 ${STATUSES.join('/')}`, [{ field: 'status', code: 'invalid-status', message: '不是有效的申报状态', value: status }]);
  if (institutionCode && !/^[0-9]{10}$/.test(institutionCode)) throw new ProblemException(400, 'invalid-institution-code', '机构标识码应为 10 位数字', [{ field: 'institutionCode', code: 'invalid-institution-code', message: '应为 10 位数字', value: institutionCode }]);
  return { ...(status ? { status } : {}), ...(institutionCode ? { institutionCode } : {}), overdue: overdue === 'true' };
}

const FILTER_QUERIES = [
  ApiQuery({ name: 'status', required: false, enum: STATUSES, description: '按状态筛选（县级待办：pending）' }),
  ApiQuery({ name: 'institutionCode', required: false, description: '只看一所机构（10 位标识码）' }),
  ApiQuery({ name: 'overdue', required: false, enum: ['true', 'false'], description: 'true：只列出超过 5 个工作日未处理的（一次列全，不分页）' }),
];
const ApiFilters = (): MethodDecorator => (target, key, descriptor) => {
  for (const d of FILTER_QUERIES) d(target, key, descriptor);
};

@ApiTags(DECLARATIONS_TAG)
@ApiBearerAuth()
@Controller('supervision/declarations')
export class DeclarationsController {
  constructor(private readonly commandBus: CommandBus, private readonly queryBus: QueryBus) {}

  @Post()
  @HttpCode(201)
  @ApiConsumes('multipart/form-data')
  @ApiBody(MULTIPART_BODY)
  @ApiOperation({ summary: '幼儿园申报异动：异动类型、填写项、原因和附件，报所在县（区）审核或阅知' })
  @ApiCreatedResponse({ type: CommandAcceptedDto })
  @ApiProblems(403, 404, 413, 415)
  async declare(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Req() req: AuthenticatedRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const { kindId, content } = await contentOf(req);
    if (!/^[0-9a-f-]{36}$/i.test(kindId)) throw new ProblemException(400, 'kind-required', '请选择异动类型', [{ field: 'kindId', code: 'kind-required', message: '请选择异动类型' }]);
    const outcome = await this.commandBus.execute(new DeclareChange(principal, kindId, content, context));
    return commandResponse(reply, outcome.state.declarationId, outcome);
  }

  @Get()
  @ReadsProjections('supervision')
  @ApiOperation({ summary: '异动申报列表：县级待办队列（最早提交的在前，含已用工作日、期限和是否超期）、幼儿园本园的申报、上级辖区的申报' })
  @ApiFilters()
  @ApiPaging()
  @ApiPage(DeclarationView)
  @ApiProblems(400)
  list(@CurrentPrincipal() principal: Principal, @Paging() page: PageRequest, @Query('status') status?: string, @Query('institutionCode') institutionCode?: string, @Query('overdue') overdue?: string) {
    return this.queryBus.execute(new ListDeclarations(principal, filterOf(status, institutionCode, overdue), page.limit, page.cursor));
  }

  @Get('export.xlsx')
  @ReadsProjections('supervision')
  @ApiProduces(XLSX)
  @ApiOperation({ summary: '导出异动申报列表（.xlsx），筛选条件同列表' })
  @ApiFilters()
  @ApiOkResponse({ description: '申报列表（.xlsx）', content: { [XLSX]: { schema: { type: 'string', format: 'binary' } } } })
  @ApiProblems(400)
  async export(@CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) reply: FastifyReply, @Query('status') status?: string, @Query('institutionCode') institutionCode?: string, @Query('overdue') overdue?: string) {
    const file = await this.queryBus.execute(new ExportDeclarations(principal, filterOf(status, institutionCode, overdue)));
    xlsxAttachment(reply, '异动申报.xlsx', 'declarations.xlsx');
    return file;
  }

  @Get('overdue-counts')
  @ReadsProjections('supervision')
  @ApiOperation({ summary: '上级：辖区各县（区）待处理和超过 5 个工作日未处理的申报数' })
  @ApiOkResponse({ type: OverdueCountsDto })
  @ApiProblems(403)
  overdueCounts(@CurrentPrincipal() principal: Principal) {
    return this.queryBus.execute(new CountOverdueDeclarations(principal));
  }

  @Get(':id')
  @ReadsProjections('supervision')
  @ApiOperation({ summary: '一份异动申报及其全部经过（提交、驳回及原因、重新提交、通过或阅知）' })
  @ApiOkResponse({ type: DeclarationDetailDto })
  @ApiProblems(404)
  get(@CurrentPrincipal() principal: Principal, @Param('id', declarationUuid) id: string) {
    return this.queryBus.execute(new GetDeclaration(principal, id));
  }

  @Get(':id/attachments/:sha256')
  @ApiProduces('application/pdf', 'image/jpeg', 'image/png')
  @ApiOperation({ summary: '下载申报的附件（申报的幼儿园及其上级部门）' })
  @ApiOkResponse({ description: '附件文件', content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } }, 'image/jpeg': { schema: { type: 'string', format: 'binary' } }, 'image/png': { schema: { type: 'string', format: 'binary' } } } })
  @ApiProblems(404)
  async attachment(@CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) reply: FastifyReply, @Param('id', declarationUuid) id: string, @Param('sha256') sha256: string) {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new ProblemException(404, 'attachment-not-found', '附件不存在或您无权查看');
    const file = await this.queryBus.execute(new GetDeclarationAttachment(principal, id, sha256));
    void reply.header('Content-Type', file.contentType).header('Content-Disposition', `inline; filename="attachment"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`).header('Cache-Control', 'private, no-store');
    return file.bytes;
  }

  @Post(':id/withdraw')
  @HttpCode(200)
  @ApiOperation({ summary: '幼儿园撤回尚未处理（或被驳回）的申报' })
  @ApiOkResponse({ type: CommandAcceptedDto })
  @ApiProblems(403, 404, 409)
  async withdraw(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Res({ passthrough: true }) reply: FastifyReply, @Param('id', declarationUuid) id: string, @Body() body: WithdrawDto) {
    return commandResponse(reply, id, await this.commandBus.execute(new ActOnDeclaration(principal, id, { type: 'withdraw', reason: body?.reason ?? '' }, context)));
  }

  @Post(':id/resubmit')
  @HttpCode(200)
  @ApiConsumes('multipart/form-data')
  @ApiBody(MULTIPART_BODY)
  @ApiOperation({ summary: '幼儿园修改被驳回的申报后重新提交（未重新上传的附件项保留原附件），重新计时' })
  @ApiOkResponse({ type: CommandAcceptedDto })
  @ApiProblems(403, 404, 409, 413, 415)
  async resubmit(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Req() req: AuthenticatedRequest, @Res({ passthrough: true }) reply: FastifyReply, @Param('id', declarationUuid) id: string) {
    const { content } = await contentOf(req);
    return commandResponse(reply, id, await this.commandBus.execute(new ActOnDeclaration(principal, id, { type: 'resubmit', content }, context)));
  }

  @Post(':id/approve')
  @HttpCode(200)
  @ApiOperation({ summary: '县级审核通过（须审核的类型；可填意见）' })
  @ApiOkResponse({ type: CommandAcceptedDto })
  @ApiProblems(403, 404, 409, 422)
  async approve(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Res({ passthrough: true }) reply: FastifyReply, @Param('id', declarationUuid) id: string, @Body() body: OpinionDto) {
    return commandResponse(reply, id, await this.commandBus.execute(new ActOnDeclaration(principal, id, { type: 'approve', opinion: body?.opinion ?? '' }, context)));
  }

  @Post(':id/reject')
  @HttpCode(200)
  @ApiOperation({ summary: '县级驳回（须填写原因），幼儿园修改后可重新提交' })
  @ApiOkResponse({ type: CommandAcceptedDto })
  @ApiProblems(403, 404, 409, 422)
  async reject(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Res({ passthrough: true }) reply: FastifyReply, @Param('id', declarationUuid) id: string, @Body() body: RejectDto) {
    return commandResponse(reply, id, await this.commandBus.execute(new ActOnDeclaration(principal, id, { type: 'reject', reason: body.reason }, context)));
  }

  @Post(':id/acknowledge')
  @HttpCode(200)
  @ApiOperation({ summary: '县级阅知（只需阅知的类型；可填意见）' })
  @ApiOkResponse({ type: CommandAcceptedDto })
  @ApiProblems(403, 404, 409, 422)
  async acknowledge(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Res({ passthrough: true }) reply: FastifyReply, @Param('id', declarationUuid) id: string, @Body() body: OpinionDto) {
    return commandResponse(reply, id, await this.commandBus.execute(new ActOnDeclaration(principal, id, { type: 'acknowledge', opinion: body?.opinion ?? '' }, context)));
  }
}

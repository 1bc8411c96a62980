import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ApiPage, ApiProblems } from '../../shared/http/openapi.js';
import { ArbitrationItemDto, CaseCommandDto, CaseEntryItemDto, CaseHistoryDto, CaseViewDto } from './case-responses.dto.js';
import type { FastifyReply } from 'fastify';
import { type AuthenticatedRequest, CurrentPrincipal, type Principal } from '../../accounts/contracts/index.js';
import { commandResponse } from '../../shared/http/command-response.js';
import { ReadsProjections } from '../../shared/http/consistency.interceptor.js';
import { readUpload } from '../../shared/http/multipart-upload.js';
import { ProblemException } from '../../shared/http/problem.js';
import { ActOnCase, type CaseOutcome, FileEvidence } from '../application/cases/duplicate-case.handlers.js';
import { type CaseQueue, GetCase, GetCaseHistory, GetCaseQueue, GetEvidenceFile } from '../application/cases/duplicate-case.queries.js';
import { ArbitrateDto, ForceDeleteDto, ReviewFailDto, ReviewPassDto } from './duplicate-case.dto.js';
import type { CommandContext } from '../../shared/command/command-path.js';
import { CommandCtx } from '../../shared/http/request-context.js';
import { ApiPaging, type PageRequest, Paging } from '../../shared/http/paging.js';

const NOT_FOUND = '重复案件不存在或不在您的管辖范围内';
const caseUuid = new ParseUUIDPipe({ exceptionFactory: () => new ProblemException(404, 'case-not-found', NOT_FOUND) });
const recordUuid = new ParseUUIDPipe({ exceptionFactory: () => new ProblemException(404, 'case-entry-not-found', '该问题学籍不在此重复案件中') });

/** Evidence: PDF, JPEG or PNG (by magic bytes), at most 5 files of 10 MB, 20 MB in all. */
export const EVIDENCE_LIMITS = {
  maxFiles: 5,
  maxFileBytes: 10 * 1024 * 1024,
  maxTotalBytes: 20 * 1024 * 1024,
  allowedTypes: ['application/pdf', 'image/jpeg', 'image/png'],
  maxFieldBytes: 4096,
} as const;

function daysOf(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 3650) throw new ProblemException(400, 'invalid-days', 'olderThanDays 应为 0-3650 的整数', [{ field: 'olderThanDays', code: 'invalid-days', message: '应为 0-3650 的整数', value: raw }]);
  return n;
}

/** What a case command answers: the case's revision and log position, and where the case and the entry stand now. */
function caseResponse(reply: FastifyReply, caseId: string, recordId: string, outcome: CaseOutcome) {
  const entry = outcome.state.entries.find((e) => e.entry.recordId === recordId);
  return { ...commandResponse(reply, caseId, outcome), caseStatus: outcome.state.status, entryStatus: entry?.status ?? null, resolution: outcome.state.resolution };
}

@ApiTags('duplicate cases (问题学籍)')
@ApiBearerAuth()
@Controller('duplicate-cases')
export class DuplicateCasesController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly queryBus: QueryBus,
  ) {}

  @Get('waiting')
  @ReadsProjections('duplicate-cases')
  @ApiOperation({ summary: '本园处理中的问题学籍：各自等待什么、已等待多久（最早的在前）' })
  @ApiPage(CaseEntryItemDto)
  @ApiProblems(403)
  @ApiPaging()
  waiting(@CurrentPrincipal() principal: Principal, @Paging() page: PageRequest) {
    return this.queryBus.execute(new GetCaseQueue(principal, 'waiting', page.limit, page.cursor));
  }

  @Get('evidence-to-review')
  @ReadsProjections('duplicate-cases')
  @ApiOperation({ summary: '区县：辖区幼儿园提交、尚未审核的佐证材料（最早的在前）' })
  @ApiPage(CaseEntryItemDto)
  @ApiProblems(403)
  @ApiPaging()
  evidenceToReview(@CurrentPrincipal() principal: Principal, @Paging() page: PageRequest) {
    return this.queryBus.execute(new GetCaseQueue(principal, 'evidence-to-review', page.limit, page.cursor));
  }

  @Get('unhandled')
  @ReadsProjections('duplicate-cases')
  @ApiQuery({ name: 'olderThanDays', required: false, type: Number, description: '只列出至少等待了这么多天的记录（0-3650）' })
  @ApiOperation({ summary: '区县：辖区幼儿园未处理（或佐证未通过须再处理）的问题学籍，可强制删除' })
  @ApiPage(CaseEntryItemDto)
  @ApiProblems(400, 403)
  @ApiPaging()
  unhandled(@CurrentPrincipal() principal: Principal, @Paging() page: PageRequest, @Query('olderThanDays') olderThanDays?: string) {
    return this.queryBus.execute(new GetCaseQueue(principal, 'unhandled', page.limit, page.cursor, daysOf(olderThanDays)));
  }

  @Get('arbitrations')
  @ReadsProjections('duplicate-cases')
  @ApiOperation({ summary: '待本级仲裁的案件（各记录的最低共同上级），含各记录的幼儿园和姓名' })
  @ApiPage(ArbitrationItemDto)
  @ApiProblems(403)
  @ApiPaging()
  arbitrations(@CurrentPrincipal() principal: Principal, @Paging() page: PageRequest) {
    return this.queryBus.execute(new GetCaseQueue(principal, 'arbitrations', page.limit, page.cursor));
  }

  @Get(':caseId')
  @ApiOperation({ summary: '一个重复案件', description: '每条记录（幼儿园、记录、佐证、审核、等待时间）、仲裁与系统建议、处理结果；上级部门还可看到每条记录的全部历史。' })
  @ApiOkResponse({ type: CaseViewDto })
  @ApiProblems(404)
  async get(@CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) reply: FastifyReply, @Param('caseId', caseUuid) caseId: string) {
    const view = await this.queryBus.execute(new GetCase(principal, caseId));
    void reply.header('ETag', `"${String(view['revision'])}"`);
    return view;
  }

  @Get(':caseId/history')
  @ApiOperation({ summary: '案件的全部经过：谁在何时因何提交、审核、删除、仲裁' })
  @ApiOkResponse({ type: CaseHistoryDto })
  @ApiProblems(404)
  history(@CurrentPrincipal() principal: Principal, @Param('caseId', caseUuid) caseId: string) {
    return this.queryBus.execute(new GetCaseHistory(principal, caseId));
  }

  @Get(':caseId/evidence/:sha256')
  @ApiProduces('application/pdf', 'image/jpeg', 'image/png')
  @ApiOperation({ summary: '下载一份佐证材料（提交的幼儿园及其上级部门）' })
  @ApiOkResponse({ description: '佐证文件', content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } }, 'image/jpeg': { schema: { type: 'string', format: 'binary' } }, 'image/png': { schema: { type: 'string', format: 'binary' } } } })
  @ApiProblems(404)
  async evidence(@CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) reply: FastifyReply, @Param('caseId', caseUuid) caseId: string, @Param('sha256') sha256: string) {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new ProblemException(404, 'evidence-not-found', '佐证材料不存在或您无权查看');
    const file = await this.queryBus.execute(new GetEvidenceFile(principal, caseId, sha256));
    void reply.header('Content-Type', file.contentType).header('Content-Disposition', `inline; filename="evidence"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`).header('Cache-Control', 'private, no-store');
    return file.bytes;
  }

  @Post(':caseId/entries/:recordId/evidence')
  @HttpCode(200)
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['reason', 'files'],
      properties: { reason: { type: 'string', description: '佐证说明（2-500 字）' }, files: { type: 'array', items: { type: 'string', format: 'binary' }, description: 'PDF、JPEG 或 PNG；最多 5 个文件，每个不超过 10 MB，合计不超过 20 MB' } },
    },
  })
  @ApiOperation({ summary: '幼儿园为本园的记录提交佐证材料', description: '说明和文件（按文件内容识别类型），由区县审核。' })
  @ApiOkResponse({ type: CaseCommandDto })
  @ApiProblems(403, 404, 413, 415, 422)
  async fileEvidence(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Req() req: AuthenticatedRequest, @Res({ passthrough: true }) reply: FastifyReply, @Param('caseId', caseUuid) caseId: string, @Param('recordId', recordUuid) recordId: string) {
    const upload = await readUpload(req, EVIDENCE_LIMITS);
    const outcome = await this.commandBus.execute(new FileEvidence(principal, caseId, recordId, upload.fields['reason'] ?? '', upload.files, context));
    return caseResponse(reply, caseId, recordId, outcome);
  }

  @Post(':caseId/entries/:recordId/evidence/pass')
  @HttpCode(200)
  @ApiOperation({ summary: '区县审核佐证：通过（可填意见）', description: '只有一条通过且其余已处理：该条有效，其余失效；两条及以上通过：提交仲裁。' })
  @ApiOkResponse({ type: CaseCommandDto })
  @ApiProblems(403, 404, 422)
  async pass(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Res({ passthrough: true }) reply: FastifyReply, @Param('caseId', caseUuid) caseId: string, @Param('recordId', recordUuid) recordId: string, @Body() body: ReviewPassDto) {
    const outcome = await this.commandBus.execute(new ActOnCase(principal, caseId, { type: 'review', recordId, passed: true, reason: body?.reason ?? '' }, context));
    return caseResponse(reply, caseId, recordId, outcome);
  }

  @Post(':caseId/entries/:recordId/evidence/fail')
  @HttpCode(200)
  @ApiOperation({ summary: '区县审核佐证：不通过（须填写原因）', description: '案件处理中时幼儿园可再次提交。' })
  @ApiOkResponse({ type: CaseCommandDto })
  @ApiProblems(403, 404, 422)
  async fail(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Res({ passthrough: true }) reply: FastifyReply, @Param('caseId', caseUuid) caseId: string, @Param('recordId', recordUuid) recordId: string, @Body() body: ReviewFailDto) {
    const outcome = await this.commandBus.execute(new ActOnCase(principal, caseId, { type: 'review', recordId, passed: false, reason: body.reason }, context));
    return caseResponse(reply, caseId, recordId, outcome);
  }

  @Post(':caseId/entries/:recordId/force-delete')
  @HttpCode(200)
  @ApiOperation({ summary: '区县强制删除幼儿园未处理（或佐证未通过）的记录（须填写原因）' })
  @ApiOkResponse({ type: CaseCommandDto })
  @ApiProblems(403, 404, 422)
  async forceDelete(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Res({ passthrough: true }) reply: FastifyReply, @Param('caseId', caseUuid) caseId: string, @Param('recordId', recordUuid) recordId: string, @Body() body: ForceDeleteDto) {
    const outcome = await this.commandBus.execute(new ActOnCase(principal, caseId, { type: 'force-delete', recordId, reason: body.reason }, context));
    return caseResponse(reply, caseId, recordId, outcome);
  }

  @Post(':caseId/arbitration')
  @HttpCode(200)
  @ApiOperation({ summary: '仲裁：确认系统建议或选定另一条（须填写理由），只有一条有效' })
  @ApiOkResponse({ type: CaseCommandDto })
  @ApiProblems(403, 404, 422)
  async arbitrate(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Res({ passthrough: true }) reply: FastifyReply, @Param('caseId', caseUuid) caseId: string, @Body() body: ArbitrateDto) {
    const outcome = await this.commandBus.execute(new ActOnCase(principal, caseId, { type: 'arbitrate', recordId: body.recordId, reason: body.reason ?? '' }, context));
    return caseResponse(reply, caseId, body.recordId, outcome);
  }
}

export type { CaseQueue };

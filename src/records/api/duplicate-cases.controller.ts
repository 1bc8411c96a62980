import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
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
  @ApiOperation({ summary: 'The institution’s problem records in open cases, what each waits for and how long (oldest first)' })
  @ApiPaging()
  waiting(@CurrentPrincipal() principal: Principal, @Paging() page: PageRequest) {
    return this.queryBus.execute(new GetCaseQueue(principal, 'waiting', page.limit, page.cursor));
  }

  @Get('evidence-to-review')
  @ReadsProjections('duplicate-cases')
  @ApiOperation({ summary: 'County: evidence filed by its institutions, not yet reviewed, oldest first with waiting time (levels above: their division)' })
  @ApiPaging()
  evidenceToReview(@CurrentPrincipal() principal: Principal, @Paging() page: PageRequest) {
    return this.queryBus.execute(new GetCaseQueue(principal, 'evidence-to-review', page.limit, page.cursor));
  }

  @Get('unhandled')
  @ReadsProjections('duplicate-cases')
  @ApiQuery({ name: 'olderThanDays', required: false, description: 'only entries waiting at least this many days' })
  @ApiOperation({ summary: 'County: entries its institutions have not handled (or must handle again after failed evidence), with their age; candidates for forced deletion' })
  @ApiPaging()
  unhandled(@CurrentPrincipal() principal: Principal, @Paging() page: PageRequest, @Query('olderThanDays') olderThanDays?: string) {
    return this.queryBus.execute(new GetCaseQueue(principal, 'unhandled', page.limit, page.cursor, daysOf(olderThanDays)));
  }

  @Get('arbitrations')
  @ReadsProjections('duplicate-cases')
  @ApiOperation({ summary: 'Arbitrations asked of the caller’s own office (the lowest common superior of the entries), oldest first' })
  @ApiPaging()
  arbitrations(@CurrentPrincipal() principal: Principal, @Paging() page: PageRequest) {
    return this.queryBus.execute(new GetCaseQueue(principal, 'arbitrations', page.limit, page.cursor));
  }

  @Get(':caseId')
  @ApiOperation({ summary: 'The case from its stream: every entry (institution, record, evidence, review, waiting time), arbitration and proposal, resolution; offices get every entry’s whole history' })
  async get(@CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) reply: FastifyReply, @Param('caseId', caseUuid) caseId: string) {
    const view = await this.queryBus.execute(new GetCase(principal, caseId));
    void reply.header('ETag', `"${String(view['revision'])}"`);
    return view;
  }

  @Get(':caseId/history')
  @ApiOperation({ summary: 'The case’s whole timeline: who filed, reviewed, deleted, arbitrated, when and why' })
  history(@CurrentPrincipal() principal: Principal, @Param('caseId', caseUuid) caseId: string) {
    return this.queryBus.execute(new GetCaseHistory(principal, caseId));
  }

  @Get(':caseId/evidence/:sha256')
  @ApiProduces('application/pdf', 'image/jpeg', 'image/png')
  @ApiOperation({ summary: 'An evidence file, to the filing institution and the offices above the entry' })
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
      properties: { reason: { type: 'string', description: '佐证说明 (2-500 characters)' }, files: { type: 'array', items: { type: 'string', format: 'binary' }, description: 'PDF, JPEG or PNG; at most 5 files, 10 MB each, 20 MB in all' } },
    },
  })
  @ApiOperation({ summary: 'The institution files evidence for its own entry: a reason and files (type checked by magic bytes); its county reviews it' })
  async fileEvidence(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Req() req: AuthenticatedRequest, @Res({ passthrough: true }) reply: FastifyReply, @Param('caseId', caseUuid) caseId: string, @Param('recordId', recordUuid) recordId: string) {
    const upload = await readUpload(req, EVIDENCE_LIMITS);
    const outcome = await this.commandBus.execute(new FileEvidence(principal, caseId, recordId, upload.fields['reason'] ?? '', upload.files, context));
    return caseResponse(reply, caseId, recordId, outcome);
  }

  @Post(':caseId/entries/:recordId/evidence/pass')
  @HttpCode(200)
  @ApiOperation({ summary: 'The entry’s county passes its evidence (optional opinion). Exactly one passed and the rest settled: it stays valid, the others become void; two or more passed: arbitration' })
  async pass(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Res({ passthrough: true }) reply: FastifyReply, @Param('caseId', caseUuid) caseId: string, @Param('recordId', recordUuid) recordId: string, @Body() body: ReviewPassDto) {
    const outcome = await this.commandBus.execute(new ActOnCase(principal, caseId, { type: 'review', recordId, passed: true, reason: body?.reason ?? '' }, context));
    return caseResponse(reply, caseId, recordId, outcome);
  }

  @Post(':caseId/entries/:recordId/evidence/fail')
  @HttpCode(200)
  @ApiOperation({ summary: 'The entry’s county fails its evidence with a reason (the institution may file again while the case is open)' })
  async fail(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Res({ passthrough: true }) reply: FastifyReply, @Param('caseId', caseUuid) caseId: string, @Param('recordId', recordUuid) recordId: string, @Body() body: ReviewFailDto) {
    const outcome = await this.commandBus.execute(new ActOnCase(principal, caseId, { type: 'review', recordId, passed: false, reason: body.reason }, context));
    return caseResponse(reply, caseId, recordId, outcome);
  }

  @Post(':caseId/entries/:recordId/force-delete')
  @HttpCode(200)
  @ApiOperation({ summary: 'The entry’s county force-deletes an entry its institution left unhandled (or whose evidence failed), with a reason' })
  async forceDelete(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Res({ passthrough: true }) reply: FastifyReply, @Param('caseId', caseUuid) caseId: string, @Param('recordId', recordUuid) recordId: string, @Body() body: ForceDeleteDto) {
    const outcome = await this.commandBus.execute(new ActOnCase(principal, caseId, { type: 'force-delete', recordId, reason: body.reason }, context));
    return caseResponse(reply, caseId, recordId, outcome);
  }

  @Post(':caseId/arbitration')
  @HttpCode(200)
  @ApiOperation({ summary: 'The arbitrating office (lowest common superior) confirms the proposed entry or picks another candidate with a reason; exactly one stays valid' })
  async arbitrate(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Res({ passthrough: true }) reply: FastifyReply, @Param('caseId', caseUuid) caseId: string, @Body() body: ArbitrateDto) {
    const outcome = await this.commandBus.execute(new ActOnCase(principal, caseId, { type: 'arbitrate', recordId: body.recordId, reason: body.reason ?? '' }, context));
    return caseResponse(reply, caseId, body.recordId, outcome);
  }
}

export type { CaseQueue };

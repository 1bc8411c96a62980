import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ApiPage, ApiProblems } from '../../shared/http/openapi.js';
import { InstitutionDto, SyncResultDto } from './organisation-responses.dto.js';
import { CurrentPrincipal, type Principal } from '../../accounts/contracts/index.js';
import { jurisdictionFilter, oneWithin } from '../../shared/access/jurisdiction.js';
import type { CommandContext } from '../../shared/command/command-path.js';
import { notFound } from '../../shared/domain/domain-error.js';
import { ReadsProjections } from '../../shared/http/consistency.interceptor.js';
import { ProblemException } from '../../shared/http/problem.js';
import { ApiPaging, type PageRequest, Paging } from '../../shared/http/paging.js';
import { CommandCtx } from '../../shared/http/request-context.js';
import { READ_STORE } from '../../shared/infrastructure/tokens.js';
import { physicalCollection } from '../../shared/projections/projection-definition.js';
import type { Filter, ReadStore } from '../../shared/read-store/read-store.port.js';
import { SyncInstitutionRegistry } from '../application/registry-sync.handlers.js';
import { institutionsProjection } from '../projections/institutions.projection.js';

const institutions = physicalCollection(institutionsProjection, 'institutions');

@ApiTags('organisation')
@ApiBearerAuth()
@Controller()
export class OrganisationController {
  constructor(
    private readonly commandBus: CommandBus,
    @Inject(READ_STORE) private readonly reads: ReadStore,
  ) {}

  @Post('institution-registry/sync')
  @HttpCode(200)
  @ApiOperation({ summary: '上传机构代码库，同步机构', description: '请求体为 xlsx 或 UTF-8 csv 文件本身：登记新机构、更名、撤销；可重复上传；逐行报告。' })
  @ApiOkResponse({ type: SyncResultDto })
  @ApiProblems(403, 413, 415, 422)
  @ApiConsumes('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'text/csv')
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  sync(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Body() body: unknown) {
    if (!Buffer.isBuffer(body)) {
      throw new ProblemException(415, 'registry-file-type', '请以 .xlsx（Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet）或 .csv（text/csv）上传机构代码库文件');
    }
    return this.commandBus.execute(new SyncInstitutionRegistry(principal, body, context));
  }

  @Get('institutions')
  @ReadsProjections('institutions')
  @ApiOperation({ summary: '管辖范围内的机构' })
  @ApiQuery({ name: 'status', required: false, enum: ['active', 'revoked'], description: '机构状态' })
  @ApiQuery({ name: 'divisionCode', required: false, description: '所在区县代码' })
  @ApiPage(InstitutionDto)
  @ApiPaging()
  list(@CurrentPrincipal() principal: Principal, @Paging() page: PageRequest, @Query('status') status?: string, @Query('divisionCode') divisionCode?: string) {
    const filter: Filter = { ...(status ? { status } : {}), ...(divisionCode ? { divisionCode } : {}), ...jurisdictionFilter(principal, 'id') };
    return this.reads.find(institutions, filter, { sort: [['name', 'asc']], ...page });
  }

  @Get('institutions/:code')
  @ReadsProjections('institutions')
  @ApiOperation({ summary: '一个机构' })
  @ApiOkResponse({ type: InstitutionDto })
  @ApiProblems(404)
  async get(@CurrentPrincipal() principal: Principal, @Param('code') code: string) {
    const filter = oneWithin(principal, code);
    const page = filter ? await this.reads.find(institutions, filter, { limit: 1 }) : { items: [] };
    // outside the jurisdiction an institution is "not found": existence does not leak
    if (page.items.length === 0) throw notFound('institution-not-found', '机构不存在或不在您的管辖范围内');
    return page.items[0];
  }
}

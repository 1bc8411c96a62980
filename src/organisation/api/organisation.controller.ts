import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthenticatedRequest } from '../../accounts/contracts/index.js';
import { jurisdictionFilter, oneWithin } from '../../shared/access/jurisdiction.js';

import { notFound } from '../../shared/domain/domain-error.js';
import { ReadsProjections } from '../../shared/http/consistency.interceptor.js';
import { ProblemException } from '../../shared/http/problem.js';
import { commandContext } from '../../shared/http/request-context.js';
import { READ_STORE } from '../../shared/infrastructure/tokens.js';
import { physicalCollection } from '../../shared/projections/projection-definition.js';
import type { Filter, ReadStore } from '../../shared/read-store/read-store.port.js';
import { RegistrySyncService } from '../application/registry-sync.service.js';
import { institutionsProjection } from '../projections/institutions.projection.js';

const institutions = physicalCollection(institutionsProjection, 'institutions');

@ApiTags('organisation')
@ApiBearerAuth()
@Controller()
export class OrganisationController {
  constructor(
    private readonly registry: RegistrySyncService,
    @Inject(READ_STORE) private readonly reads: ReadStore,
  ) {}

  @Post('institution-registry/sync')
  @HttpCode(200)
  @ApiOperation({ summary: 'Upload the institution-code registry (xlsx or UTF-8 csv, raw body): registers, renames and revokes; idempotent; per-row report' })
  @ApiConsumes('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'text/csv')
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  sync(@Req() req: AuthenticatedRequest, @Body() body: unknown) {
    if (!Buffer.isBuffer(body)) {
      throw new ProblemException(415, 'registry-file-type', '请以 .xlsx（Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet）或 .csv（text/csv）上传机构代码库文件');
    }
    return this.registry.sync(req.principal!, body, commandContext(req));
  }

  @Get('institutions')
  @ReadsProjections('institutions')
  @ApiOperation({ summary: 'Institutions within the caller’s jurisdiction' })
  list(@Req() req: AuthenticatedRequest, @Query('status') status?: string, @Query('divisionCode') divisionCode?: string, @Query('cursor') cursor?: string, @Query('limit') limit?: string) {
    const filter: Filter = { ...(status ? { status } : {}), ...(divisionCode ? { divisionCode } : {}), ...jurisdictionFilter(req.principal!, 'id') };
    return this.reads.find(institutions, filter, { sort: [['name', 'asc']], limit: limit ? Number(limit) : 50, ...(cursor ? { cursor } : {}) });
  }

  @Get('institutions/:code')
  @ReadsProjections('institutions')
  async get(@Req() req: AuthenticatedRequest, @Param('code') code: string) {
    const filter = oneWithin(req.principal!, code);
    const page = filter ? await this.reads.find(institutions, filter, { limit: 1 }) : { items: [] };
    // outside the jurisdiction an institution is "not found": existence does not leak
    if (page.items.length === 0) throw notFound('institution-not-found', '机构不存在或不在您的管辖范围内');
    return page.items[0];
  }
}

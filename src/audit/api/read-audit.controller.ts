import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal } from '../../accounts/contracts/index.js';
import { ReadsProjections } from '../../shared/http/consistency.interceptor.js';
import { ApiPage, ApiProblems } from '../../shared/http/openapi.js';
import { ApiPaging, type PageRequest, Paging } from '../../shared/http/paging.js';
import { ProblemException } from '../../shared/http/problem.js';
import { ListPersonalDataReads, RecordReads } from '../application/read-audit.queries.js';
import { PersonalDataReadDto } from './read-audit.dto.js';

const recordUuid = new ParseUUIDPipe({ exceptionFactory: () => new ProblemException(404, 'record-not-found', '学籍记录不存在或不在您的管辖范围内') });

/** The read audit of children's personal data (issue 21, item 6): county administrators and above. */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('personal-data-reads')
export class ReadAuditController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ReadsProjections('personal-data-reads')
  @ApiOperation({ summary: '本辖区幼儿个人信息查阅记录：谁、何时、从何地址、经哪个接口查阅了哪名幼儿的完整信息（同日同途径的查阅合并计数，最新的在前）' })
  @ApiQuery({ name: 'institutionCode', required: false, description: '只看该幼儿园的记录' })
  @ApiQuery({ name: 'accountId', required: false, description: '只看该账号的查阅' })
  @ApiPaging()
  @ApiPage(PersonalDataReadDto)
  @ApiProblems(403)
  list(@CurrentPrincipal() principal: Principal, @Paging() page: PageRequest, @Query('institutionCode') institutionCode?: string, @Query('accountId') accountId?: string) {
    const filter = { ...(institutionCode ? { institutionCode } : {}), ...(accountId ? { accountId } : {}) };
    return this.queryBus.execute(new ListPersonalDataReads(principal, filter, page.limit, page.cursor));
  }

  @Get('records/:recordId')
  @ReadsProjections('personal-data-reads')
  @ApiOperation({ summary: '一名幼儿的个人信息查阅记录（同日同途径的查阅合并计数，最新的在前）' })
  @ApiPaging()
  @ApiPage(PersonalDataReadDto)
  @ApiProblems(403, 404)
  record(@CurrentPrincipal() principal: Principal, @Paging() page: PageRequest, @Param('recordId', recordUuid) recordId: string) {
    return this.queryBus.execute(new RecordReads(principal, recordId, page.limit, page.cursor));
  }
}

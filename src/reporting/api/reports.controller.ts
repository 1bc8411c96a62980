import { Controller, Get, Headers, Param, Query } from '@nestjs/common';
import { RouteSchema } from '@nestjs/platform-fastify';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal } from '../../accounts/contracts/index.js';
import { ReadsProjections } from '../../shared/http/consistency.interceptor.js';
import { ApiPage, ApiProblems } from '../../shared/http/openapi.js';
import { ApiPaging, type PageRequest, Paging } from '../../shared/http/paging.js';
import { ReportsService } from '../application/reports.service.js';
import { ReportLists } from '../application/report-lists.js';
import { UNIT_REPORT_ROUTE } from './report.schema.js';
import { ComparisonDto, CorrectedDto, RecomputedDto, SnapshotItemDto, TodoDto, UnitReportDto } from './reports.dto.js';

const UNIT_QUERY = { name: 'unit', required: false, type: String, description: '统计单位：d:<行政区划代码> 或 i:<机构标识码>；默认本账号所在单位（逐级下钻时传下一级单位）' };
const MONTH_PARAM = { name: 'month', description: '月份 YYYY-MM', example: '2026-11' };

/**
 * Reports (统计报表, issue 17 item 4) for every account of an office within its jurisdiction and
 * for an institution's own accounts; leader accounts read them (and only read).
 */
@ApiTags('reports')
@ApiBearerAuth()
@Controller('reports')
export class ReportsController {
  constructor(
    private readonly reports: ReportsService,
    private readonly lists: ReportLists,
  ) {}

  @Get('live')
  @ApiOperation({ summary: '实时汇总数据（本单位及下一级单位，可逐级下钻）', description: '由计数投影实时维护，不逐条扫描学籍。可带 X-Min-Position 读到自己刚写入的数据。' })
  @ApiQuery(UNIT_QUERY)
  @ApiHeader({ name: 'X-Min-Position', required: false, description: '命令响应中的 position：等汇总计数处理到该位置后再回答' })
  @ApiOkResponse({ type: UnitReportDto })
  @ApiProblems(404, 503)
  @RouteSchema(UNIT_REPORT_ROUTE)
  async live(@CurrentPrincipal() principal: Principal, @Query('unit') unit?: string, @Headers('x-min-position') minPosition?: string) {
    await this.lists.waitForCounters(minPosition);
    return this.reports.live(principal, unit || undefined);
  }

  @Get('snapshots')
  @ReadsProjections('reporting')
  @ApiOperation({ summary: '已生成的月度快照（每月最后一天 0 点，北京时间）' })
  @ApiPage(SnapshotItemDto)
  @ApiPaging()
  snapshots(@Paging() page: PageRequest) {
    return this.lists.snapshots(page);
  }

  @Get('months/:month')
  @ApiOperation({ summary: '某月月度快照的汇总数据（本单位及下一级单位）' })
  @ApiParam(MONTH_PARAM)
  @ApiQuery(UNIT_QUERY)
  @ApiOkResponse({ type: UnitReportDto })
  @ApiProblems(404)
  @RouteSchema(UNIT_REPORT_ROUTE)
  month(@CurrentPrincipal() principal: Principal, @Param('month') month: string, @Query('unit') unit?: string) {
    return this.reports.month(principal, month, unit || undefined);
  }

  @Get('months/:month/comparison')
  @ApiOperation({ summary: '某月与上月、与去年同月的对比' })
  @ApiParam(MONTH_PARAM)
  @ApiQuery(UNIT_QUERY)
  @ApiOkResponse({ type: ComparisonDto })
  @ApiProblems(404)
  comparison(@CurrentPrincipal() principal: Principal, @Param('month') month: string, @Query('unit') unit?: string) {
    return this.reports.comparison(principal, month, unit || undefined);
  }

  @Get('months/:month/recomputed')
  @ApiOperation({ summary: '按事件日志重算某月快照（截止到快照的日志位置），并与保存的快照比对' })
  @ApiParam(MONTH_PARAM)
  @ApiQuery(UNIT_QUERY)
  @ApiOkResponse({ type: RecomputedDto })
  @ApiProblems(404)
  recomputed(@CurrentPrincipal() principal: Principal, @Param('month') month: string, @Query('unit') unit?: string) {
    return this.reports.recomputed(principal, month, unit || undefined);
  }

  @Get('months/:month/corrected')
  @ApiOperation({ summary: '某月“计入此后更正”的数据与当时保存的快照对照，列出差异', description: '计入截止后登记、涉及本月的更正：离园日期在截止前的离园与意外离园、截止时已离园幼儿的恢复、幼儿信息更正（ADR 26）。' })
  @ApiParam(MONTH_PARAM)
  @ApiQuery(UNIT_QUERY)
  @ApiOkResponse({ type: CorrectedDto })
  @ApiProblems(404)
  corrected(@CurrentPrincipal() principal: Principal, @Param('month') month: string, @Query('unit') unit?: string) {
    return this.reports.corrected(principal, month, unit || undefined);
  }
}

@ApiTags('todos')
@ApiBearerAuth()
@Controller('todos')
export class TodosController {
  constructor(private readonly lists: ReportLists) {}

  @Get()
  @ApiOperation({ summary: '当前账号的待办事项（机构：每月 25 日前完成本月幼儿信息更新；省市县：本月尚未更新的学前教育项目）' })
  @ApiOkResponse({ type: [TodoDto] })
  todos(@CurrentPrincipal() principal: Principal) {
    return this.lists.todos(principal);
  }
}

import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, type Principal } from '../../accounts/contracts/index.js';
import type { CommandContext } from '../../shared/command/command-path.js';
import { commandResponse } from '../../shared/http/command-response.js';
import { ReadsProjections } from '../../shared/http/consistency.interceptor.js';
import { ApiPage, ApiProblems, CommandAcceptedDto } from '../../shared/http/openapi.js';
import { ApiPaging, type PageRequest, Paging } from '../../shared/http/paging.js';
import { ProblemException } from '../../shared/http/problem.js';
import { CommandCtx } from '../../shared/http/request-context.js';
import { XLSX, xlsxAttachment } from '../../shared/http/spreadsheet-files.js';
import { EnterCentralAward, EnterFundingProject, ReportFundingProject } from '../application/projects/project.handlers.js';
import { ExportProjects, GetMonthEnd, GetProject, GetProjectTotals, ListCentralAwards, ListProjects, ListProjectsToDo, type ProjectFilter } from '../application/projects/project.queries.js';
import { CentralAwardListDto, MonthEndDto, ProjectDetailDto, ProjectTotalsDto, ProjectView, ToDoDto } from './responses.dto.js';
import { CentralAwardDto, EnterProjectDto, ReportProjectDto } from './supervision.dto.js';

export const PROJECTS_TAG = 'funding projects (学前教育项目)';
const projectUuid = new ParseUUIDPipe({ exceptionFactory: () => new ProblemException(404, 'project-not-found', '项目不存在或不在您的管辖范围内') });
const LEVELS = ['province', 'prefecture', 'county'];

function yearOf(raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const year = Number(raw);
  if (!Number.isInteger(year) || year < 2000 || year > 2100) throw new ProblemException(400, 'invalid-year', 'year 应为 2000-2100 的年份', [{ field: 'year', code: 'invalid-year', message: '应为 2000-2100 的年份', value: raw }]);
  return year;
}

function filterOf(year?: string, level?: string): ProjectFilter {
  if (level && !LEVELS.includes(level)) throw new ProblemException(400, 'invalid-level', 'level 应为 province/prefecture/county', [{ field: 'level', code: 'invalid-level', message: '不是有效的填报层级', value: level }]);
  const y = yearOf(year);
  return { ...(y ? { year: y } : {}), ...(level ? { level } : {}) };
}

const figuresOf = (body: ReportProjectDto) => ({ funds: { ...body.funds }, allocated: body.allocated, spent: body.spent, progress: body.progress, note: body.note ?? '', month: body.month ?? null });
const YEAR_QUERY = ApiQuery({ name: 'year', required: false, type: Number, description: '项目年度' });
const LEVEL_QUERY = ApiQuery({ name: 'level', required: false, enum: LEVELS, description: '填报层级' });

@ApiTags(PROJECTS_TAG)
@ApiBearerAuth()
@Controller('supervision')
export class ProjectsController {
  constructor(private readonly commandBus: CommandBus, private readonly queryBus: QueryBus) {}

  @Post('central-awards')
  @HttpCode(200)
  @ApiOperation({ summary: '填报某省某年的中央财政奖补资金（教育部部署：教育部；省级部署：省级系统管理员填报本省收到的金额）' })
  @ApiOkResponse({ type: CommandAcceptedDto })
  @ApiProblems(403)
  async enterAward(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Res({ passthrough: true }) reply: FastifyReply, @Body() body: CentralAwardDto) {
    const outcome = await this.commandBus.execute(new EnterCentralAward(principal, body.provinceCode, body.year, body.amount, context));
    return commandResponse(reply, `${body.provinceCode}-${body.year}`, outcome);
  }

  @Get('central-awards')
  @ReadsProjections('supervision')
  @ApiOperation({ summary: '辖区内各省的中央财政奖补资金' })
  @YEAR_QUERY
  @ApiOkResponse({ type: CentralAwardListDto })
  @ApiProblems(400, 403)
  awards(@CurrentPrincipal() principal: Principal, @Query('year') year?: string) {
    return this.queryBus.execute(new ListCentralAwards(principal, yearOf(year)));
  }

  @Post('projects')
  @HttpCode(201)
  @ApiOperation({ summary: '本单位（省、市、县）录入学前教育项目：名称、类别、年度、资金来源、已下达、已支出、进度、备注（金额以分为单位）' })
  @ApiCreatedResponse({ type: CommandAcceptedDto })
  @ApiProblems(403, 422)
  async enter(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Res({ passthrough: true }) reply: FastifyReply, @Body() body: EnterProjectDto) {
    const outcome = await this.commandBus.execute(new EnterFundingProject(principal, { name: body.name, kind: body.kind, year: body.year, ...figuresOf(body) }, context));
    return commandResponse(reply, outcome.state.projectId, outcome);
  }

  @Get('projects')
  @ReadsProjections('supervision')
  @ApiOperation({ summary: '本级及下级单位的学前教育项目' })
  @YEAR_QUERY
  @LEVEL_QUERY
  @ApiPaging()
  @ApiPage(ProjectView)
  @ApiProblems(400, 403)
  list(@CurrentPrincipal() principal: Principal, @Paging() page: PageRequest, @Query('year') year?: string, @Query('level') level?: string) {
    return this.queryBus.execute(new ListProjects(principal, filterOf(year, level), page.limit, page.cursor));
  }

  @Get('projects/totals')
  @ReadsProjections('supervision')
  @ApiOperation({ summary: '辖区项目资金合计：按来源（中央、省级、地方）、按填报层级，精确到分' })
  @YEAR_QUERY
  @ApiOkResponse({ type: ProjectTotalsDto })
  @ApiProblems(400, 403)
  totals(@CurrentPrincipal() principal: Principal, @Query('year') year?: string) {
    return this.queryBus.execute(new GetProjectTotals(principal, yearOf(year)));
  }

  @Get('projects/to-do')
  @ReadsProjections('supervision')
  @ApiOperation({ summary: '待办：本单位本月（北京时间）尚未更新的项目' })
  @ApiOkResponse({ type: ToDoDto })
  @ApiProblems(403)
  toDo(@CurrentPrincipal() principal: Principal) {
    return this.queryBus.execute(new ListProjectsToDo(principal));
  }

  @Get('projects/export.xlsx')
  @ReadsProjections('supervision')
  @ApiProduces(XLSX)
  @ApiOperation({ summary: '导出项目清单和合计（.xlsx，金额以元为单位保留两位小数）' })
  @YEAR_QUERY
  @LEVEL_QUERY
  @ApiOkResponse({ description: '项目清单（.xlsx）', content: { [XLSX]: { schema: { type: 'string', format: 'binary' } } } })
  @ApiProblems(400, 403)
  async export(@CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) reply: FastifyReply, @Query('year') year?: string, @Query('level') level?: string) {
    const file = await this.queryBus.execute(new ExportProjects(principal, filterOf(year, level)));
    xlsxAttachment(reply, '学前教育项目.xlsx', 'projects.xlsx');
    return file;
  }

  @Get('projects/month-ends/:month')
  @ApiOperation({ summary: '某月月末（该月最后一天 0 时）的项目数据：辖区内各项目及合计、本月未更新的项目' })
  @ApiOkResponse({ type: MonthEndDto })
  @ApiProblems(403, 404)
  monthEnd(@CurrentPrincipal() principal: Principal, @Param('month') month: string) {
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw new ProblemException(404, 'month-end-not-found', '月份应写作“2026-10”');
    return this.queryBus.execute(new GetMonthEnd(principal, month));
  }

  @Get('projects/:id')
  @ReadsProjections('supervision')
  @ApiOperation({ summary: '一个项目及其每次填报（谁、何时、所报月份、数据）' })
  @ApiOkResponse({ type: ProjectDetailDto })
  @ApiProblems(403, 404)
  get(@CurrentPrincipal() principal: Principal, @Param('id', projectUuid) id: string) {
    return this.queryBus.execute(new GetProject(principal, id));
  }

  @Post('projects/:id/reports')
  @HttpCode(200)
  @ApiOperation({ summary: '本单位按月更新项目数据（所报月份默认本月）；上级只能查看，不能修改下级的项目' })
  @ApiOkResponse({ type: CommandAcceptedDto })
  @ApiProblems(403, 404, 422)
  async report(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Res({ passthrough: true }) reply: FastifyReply, @Param('id', projectUuid) id: string, @Body() body: ReportProjectDto) {
    return commandResponse(reply, id, await this.commandBus.execute(new ReportFundingProject(principal, id, figuresOf(body), context)));
  }
}

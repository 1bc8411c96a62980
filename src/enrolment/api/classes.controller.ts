import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Put, Query, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, type Principal } from '../../accounts/contracts/index.js';
import { InBusiness } from '../../settings/contracts/index.js';
import type { CommandContext } from '../../shared/command/command-path.js';
import { commandResponse } from '../../shared/http/command-response.js';
import { ReadsProjections } from '../../shared/http/consistency.interceptor.js';
import { ApiPaging, type PageRequest, Paging } from '../../shared/http/paging.js';
import { ProblemException } from '../../shared/http/problem.js';
import { CommandCtx } from '../../shared/http/request-context.js';
import { ChangeClass, CreateClass } from '../application/classes/class.handlers.js';
import { GraduateClass } from '../application/leaves/leave.handlers.js';
import { PlaceChildren, PromoteClass } from '../application/placements/placement.handlers.js';
import { GetRoster, ListClasses, ListUnplaced } from '../application/queries/enrolment.queries.js';
import { CLASS_NOT_FOUND } from '../application/class-access.js';
import { CreateClassDto, EditClassDto, GraduateDto, MarkDto, PlaceChildrenDto, PromoteDto } from './enrolment.dto.js';
import { ApiProblems } from './errors.js';
import { AcceptedDto, ChildPageDto, ClassListDto, GraduationDto, PlacementSummaryDto, PromotionDto, RosterDto } from './responses.dto.js';

const classUuid = new ParseUUIDPipe({ exceptionFactory: () => new ProblemException(404, 'class-not-found', CLASS_NOT_FOUND) });
/**
 * The JSON of a roster answer, made once per answer object: a cached roster is one object answered
 * again and again (never mutated), so its JSON is too. Forgotten with the answer.
 */
const rosterJson = new WeakMap<object, string>();

const recordUuid = new ParseUUIDPipe({ exceptionFactory: () => new ProblemException(404, 'record-not-found', '学籍记录不存在或不在您的管辖范围内') });

@ApiTags('classes')
@ApiBearerAuth()
@Controller('classes')
export class ClassesController {
  constructor(private readonly commandBus: CommandBus, private readonly queryBus: QueryBus) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: '新建班级（幼儿园业务账号）：名称、年级、学年、教师' })
  @ApiCreatedResponse({ type: AcceptedDto })
  @ApiProblems(400, 403)
  async create(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Res({ passthrough: true }) reply: FastifyReply, @Body() body: CreateClassDto) {
    const outcome = await this.commandBus.execute(new CreateClass(principal, { name: body.name, grade: body.grade, schoolYear: body.schoolYear, teachers: body.teachers }, context));
    void reply.header('Location', `/api/v1/classes/${outcome.state.classId}`);
    return commandResponse(reply, outcome.state.classId, outcome);
  }

  @Get()
  @ReadsProjections('enrolment')
  @ApiOperation({ summary: '班级列表：年级、学年、人数（男/女），本园或管辖范围内' })
  @ApiQuery({ name: 'institutionCode', required: false })
  @ApiQuery({ name: 'schoolYear', required: false, example: '2026-2027' })
  @ApiQuery({ name: 'grade', required: false, enum: ['托班', '小班', '中班', '大班', '混龄班'] })
  @ApiOkResponse({ type: ClassListDto })
  @ApiProblems(403)
  list(@CurrentPrincipal() principal: Principal, @Query('institutionCode') institutionCode?: string, @Query('schoolYear') schoolYear?: string, @Query('grade') grade?: string) {
    return this.queryBus.execute(new ListClasses(principal, { ...(institutionCode ? { institutionCode } : {}), ...(schoolYear ? { schoolYear } : {}), ...(grade ? { grade } : {}) }));
  }

  @Get('unplaced')
  @ReadsProjections('enrolment')
  @ApiOperation({ summary: '未分班幼儿：审核通过、在园、尚未分到班级的幼儿' })
  @ApiPaging()
  @ApiOkResponse({ type: ChildPageDto })
  @ApiProblems(403)
  unplaced(@CurrentPrincipal() principal: Principal, @Paging() page: PageRequest) {
    return this.queryBus.execute(new ListUnplaced(principal, page.limit, page.cursor));
  }

  @Get(':id')
  @ReadsProjections('enrolment')
  @ApiOperation({ summary: '班级花名册：幼儿（身份证号脱敏）、状态、留班/留园标记' })
  @ApiOkResponse({ type: RosterDto })
  @ApiProblems(403, 404)
  async roster(@CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) reply: FastifyReply, @Param('id', classUuid) id: string) {
    const answer = (await this.queryBus.execute(new GetRoster(principal, id))) as object;
    let json = rosterJson.get(answer);
    if (json === undefined) rosterJson.set(answer, (json = JSON.stringify(answer)));
    void reply.type('application/json; charset=utf-8');
    return json;
  }

  @Patch(':id')
  @HttpCode(200)
  @ApiHeader({ name: 'If-Match', required: false, description: 'the revision (ETag) the editor saw' })
  @ApiOperation({ summary: '修改班级名称或教师' })
  @ApiOkResponse({ type: AcceptedDto })
  @ApiProblems(400, 403, 404, 409, 412)
  async edit(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Res({ passthrough: true }) reply: FastifyReply, @Param('id', classUuid) id: string, @Body() body: EditClassDto) {
    if (body.name === undefined && body.teachers === undefined) throw new ProblemException(400, 'validation-failed', '请填写新的班级名称或教师', [{ field: 'name', code: 'required', message: '请填写班级名称或教师' }]);
    const outcome = await this.commandBus.execute(new ChangeClass(principal, id, { type: 'edit', ...(body.name !== undefined ? { name: body.name } : {}), ...(body.teachers !== undefined ? { teachers: body.teachers } : {}) }, context));
    return commandResponse(reply, id, outcome);
  }

  @Delete(':id')
  @HttpCode(200)
  @ApiOperation({ summary: '删除班级：只能删除没有幼儿的班级（拒绝时说明班里有几名幼儿）' })
  @ApiOkResponse({ type: AcceptedDto })
  @ApiProblems(403, 404, 409, 412, 422)
  async remove(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Res({ passthrough: true }) reply: FastifyReply, @Param('id', classUuid) id: string) {
    return commandResponse(reply, id, await this.commandBus.execute(new ChangeClass(principal, id, { type: 'delete' }, context)));
  }

  @Post(':id/children')
  @HttpCode(200)
  @ApiOperation({ summary: '分班：将一名或多名审核通过的在园幼儿分到本班（每名幼儿同一时间只在一个班级）；逐个给出结果' })
  @ApiOkResponse({ type: PlacementSummaryDto })
  @ApiProblems(400, 403, 404)
  assign(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Param('id', classUuid) id: string, @Body() body: PlaceChildrenDto) {
    return this.commandBus.execute(new PlaceChildren(principal, id, body.recordIds, false, context));
  }

  @Post(':id/class-change')
  @HttpCode(200)
  @ApiOperation({ summary: '调班：将幼儿从原班级调入本班（未分班的幼儿直接分入）' })
  @ApiOkResponse({ type: PlacementSummaryDto })
  @ApiProblems(400, 403, 404)
  change(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Param('id', classUuid) id: string, @Body() body: PlaceChildrenDto) {
    return this.commandBus.execute(new PlaceChildren(principal, id, body.recordIds, true, context));
  }

  @Put(':id/children/:recordId/mark')
  @HttpCode(200)
  @ApiOperation({ summary: '标记留班（升级时留在本班）或留园（毕业时留在本园，仅大班/混龄班）；null 取消标记。标记只对下一次升级有效' })
  @ApiOkResponse({ type: AcceptedDto })
  @ApiProblems(400, 403, 404, 409, 422)
  async mark(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Res({ passthrough: true }) reply: FastifyReply, @Param('id', classUuid) id: string, @Param('recordId', recordUuid) recordId: string, @Body() body: MarkDto) {
    return commandResponse(reply, id, await this.commandBus.execute(new ChangeClass(principal, id, { type: 'mark', recordId, mark: body.mark ?? null }, context)));
  }

  @Post(':id/promote')
  @InBusiness('promotion')
  @HttpCode(200)
  @ApiOperation({ summary: '升级（自上而下）：本班未标记留班的幼儿全部升入下一年级的目标班级；目标班级须为空或只有留班/留园幼儿' })
  @ApiOkResponse({ type: PromotionDto })
  @ApiProblems(400, 403, 404, 409, 422)
  promote(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Param('id', classUuid) id: string, @Body() body: PromoteDto) {
    return this.commandBus.execute(new PromoteClass(principal, id, body.targetClassId, context));
  }

  @Post(':id/graduate')
  @InBusiness('graduation')
  @HttpCode(200)
  @ApiOperation({ summary: '整班毕业离园（仅大班、混龄班）：标记留园的幼儿留下，其余幼儿全部毕业；中断后重启会自动办完' })
  @ApiOkResponse({ type: GraduationDto })
  @ApiProblems(400, 403, 404, 409, 412, 422)
  async graduate(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Res({ passthrough: true }) reply: FastifyReply, @Param('id', classUuid) id: string, @Body() body: GraduateDto) {
    const outcome = await this.commandBus.execute(new GraduateClass(principal, id, body.leaveDate, context));
    return { ...commandResponse(reply, id, outcome), graduationId: outcome.graduationId, graduated: outcome.graduated, stayed: outcome.stayed };
  }
}

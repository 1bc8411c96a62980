import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiQuery, ApiTags } from '@nestjs/swagger';
import { IsIn, IsInt, IsNumber, IsString, Length, Matches, Max, Min } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { CommandBus } from '@nestjs/cqrs';
import { CurrentPrincipal, type Principal } from '../../accounts/contracts/index.js';
import { InBusiness } from '../../settings/contracts/index.js';
import { commandResponse } from '../../shared/http/command-response.js';
import { NestedObject, NestedObjects } from '../../shared/http/dto-decorators.js';
import { ReadsProjections } from '../../shared/http/consistency.interceptor.js';
import { ApiPaging, type PageRequest, Paging } from '../../shared/http/paging.js';
import { CommandCtx } from '../../shared/http/request-context.js';
import type { CommandContext } from '../../shared/command/command-path.js';
import { DecideFiling, SubmitFiling } from '../application/filing.handlers.js';
import { BUILDING_TENURES, URBAN_RURAL_CODES } from '../domain/filing.decider.js';
import { FilingService } from '../application/filing.service.js';
import { ApiPage, ApiProblems, CommandAcceptedDto } from '../../shared/http/openapi.js';
import { FilingViewDto } from './organisation-responses.dto.js';

/** Areas in square metres, up to two decimals; the largest campus in the country is far below these bounds. */
const AREA = { maxDecimalPlaces: 2 } as const;

export class BasicDto {
  @ApiProperty({ example: '郑州市中原区建设路 1 号', description: '地址' }) @IsString({ message: '请填写地址（200 字以内）' }) @Length(1, 200, { message: '请填写地址（200 字以内）' }) address!: string;
  @ApiProperty({ example: '李园长', description: '园长姓名' }) @IsString({ message: '请填写园长姓名' }) @Length(1, 50, { message: '请填写园长姓名' }) principalName!: string;
  @ApiProperty({ example: '0371-66000000', description: '联系电话' }) @Matches(/^[0-9+()\- ]{5,30}$/, { message: '联系电话格式不正确' }) phone!: string;
  @ApiProperty({ enum: URBAN_RURAL_CODES, description: '城乡分类代码' }) @IsIn(URBAN_RURAL_CODES as unknown as string[], { message: '城乡分类代码应为 111/112/121/122/123/210/220' }) urbanRuralCode!: (typeof URBAN_RURAL_CODES)[number];
}

export class BuildingDto {
  @ApiProperty({ example: '教学楼', description: '建筑名称' }) @IsString({ message: '请填写建筑名称' }) @Length(1, 50, { message: '请填写建筑名称' }) name!: string;
  @ApiProperty({ enum: BUILDING_TENURES, description: '产权' }) @IsIn(BUILDING_TENURES as unknown as string[], { message: '产权应为 self-built（自建）/rented（租赁）/borrowed（借用）/other（其他）' }) tenure!: (typeof BUILDING_TENURES)[number];
  @ApiProperty({ example: 1200.5, description: '建筑面积（平方米）' }) @IsNumber(AREA, { message: '建筑面积应为数字（平方米，最多两位小数）' }) @Min(0.01, { message: '建筑面积必须大于 0' }) @Max(1_000_000, { message: '建筑面积不能超过 1,000,000 平方米' }) area!: number;
  @ApiProperty({ example: 2010, description: '建成年份' }) @IsInt({ message: '建成年份应为整数' }) @Min(1900, { message: '建成年份不早于 1900' }) @Max(2100, { message: '建成年份不晚于 2100' }) builtYear!: number;
}

export class ConditionsDto {
  @ApiProperty({ example: 3000, description: '占地面积（平方米）' }) @IsNumber(AREA, { message: '占地面积应为数字（平方米，最多两位小数）' }) @Min(0, { message: '占地面积不能为负' }) @Max(10_000_000, { message: '占地面积不能超过 10,000,000 平方米' }) siteArea!: number;
  @ApiProperty({ example: 2400, description: '建筑面积（平方米）' }) @IsNumber(AREA, { message: '建筑面积应为数字（平方米，最多两位小数）' }) @Min(0, { message: '建筑面积不能为负' }) @Max(10_000_000, { message: '建筑面积不能超过 10,000,000 平方米' }) buildingArea!: number;
  @ApiProperty({ example: 900, description: '户外活动场地面积（平方米）' }) @IsNumber(AREA, { message: '户外活动场地面积应为数字（平方米，最多两位小数）' }) @Min(0, { message: '户外活动场地面积不能为负' }) @Max(10_000_000, { message: '户外活动场地面积不能超过 10,000,000 平方米' }) playgroundArea!: number;
  @ApiProperty({ example: 9, description: '班级活动室数' }) @IsInt({ message: '班级活动室数应为整数' }) @Min(0, { message: '班级活动室数不能为负' }) @Max(1000, { message: '班级活动室数不能超过 1000' }) classrooms!: number;
}

export class FilingDto {
  @ApiProperty({ type: () => BasicDto, description: '基本信息' }) @NestedObject(() => BasicDto, '基本信息 basic') basic!: BasicDto;
  @ApiPropertyOptional({ type: () => [BuildingDto], description: '园舍（最多 200 栋）' }) @NestedObjects(() => BuildingDto, '园舍 buildings', 200, { optional: true }) buildings?: BuildingDto[];
  @ApiPropertyOptional({ type: () => ConditionsDto, description: '办园条件' }) @NestedObject(() => ConditionsDto, '办园条件 conditions', { optional: true }) conditions?: ConditionsDto;
}

export class ApproveDto {
  @ApiProperty({ minimum: 1, example: 1, description: '所审核的备案版本号' }) @IsInt({ message: '请提供所审核的版本号 version' }) @Min(1, { message: '版本号 version 从 1 开始' }) @Max(1_000_000, { message: '版本号 version 过大' }) version!: number;
}

export class FilingRejectDto extends ApproveDto {
  @ApiProperty({ example: '园舍面积与测绘报告不符', description: '驳回原因（2-500 字）' }) @IsString({ message: '请填写驳回原因（2-500 字）' }) @Length(2, 500, { message: '请填写驳回原因（2-500 字）' }) reason!: string;
}

@ApiTags('organisation')
@ApiBearerAuth()
@Controller()
export class FilingController {
  constructor(
    private readonly filings: FilingService,
    private readonly commandBus: CommandBus,
  ) {}

  @Put('institutions/:code/filing')
  @InBusiness('institution-filing')
  @HttpCode(200)
  @ApiOperation({ summary: '幼儿园填报（或随时重新填报）办园基本信息、园舍和办园条件' })
  @ApiOkResponse({ type: CommandAcceptedDto })
  @ApiProblems(403, 404, 422, 423)
  async submit(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Res({ passthrough: true }) reply: FastifyReply, @Param('code') code: string, @Body() body: FilingDto) {
    const content = { basic: { ...body.basic }, buildings: (body.buildings ?? []).map((b) => ({ ...b })), conditions: body.conditions ? { ...body.conditions } : null };
    return commandResponse(reply, code, await this.commandBus.execute(new SubmitFiling(principal, code, content, context)));
  }

  @Post('institutions/:code/filing/approve')
  @HttpCode(200)
  @ApiOperation({ summary: '区县审核通过待审核的版本', description: '审核通过不能撤回；如需更正由幼儿园重新填报。' })
  @ApiOkResponse({ type: CommandAcceptedDto })
  @ApiProblems(403, 404, 409, 422)
  async approve(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Res({ passthrough: true }) reply: FastifyReply, @Param('code') code: string, @Body() body: ApproveDto) {
    return commandResponse(reply, code, await this.commandBus.execute(new DecideFiling(principal, code, { version: body.version, approve: true }, context)));
  }

  @Post('institutions/:code/filing/reject')
  @HttpCode(200)
  @ApiOperation({ summary: '区县驳回待审核的版本（须填写原因）' })
  @ApiOkResponse({ type: CommandAcceptedDto })
  @ApiProblems(403, 404, 409, 422)
  async reject(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Res({ passthrough: true }) reply: FastifyReply, @Param('code') code: string, @Body() body: FilingRejectDto) {
    return commandResponse(reply, code, await this.commandBus.execute(new DecideFiling(principal, code, { version: body.version, approve: false, reason: body.reason }, context)));
  }

  @Get('institution-filings')
  @ReadsProjections('institution-filings')
  @ApiOperation({ summary: '管辖范围内的办园信息备案', description: 'status=submitted 为区县的审核队列；已通过的含审核通过的内容。' })
  @ApiQuery({ name: 'status', required: false, enum: ['submitted', 'approved', 'rejected'], description: '备案状态' })
  @ApiPage(FilingViewDto)
  @ApiPaging()
  list(@CurrentPrincipal() principal: Principal, @Paging() page: PageRequest, @Query('status') status?: string) {
    return this.filings.list(principal, status, page.cursor, page.limit);
  }

  @Get('institutions/:code/filing')
  @ReadsProjections('institution-filings')
  @ApiOperation({ summary: '一个机构的办园信息备案' })
  @ApiOkResponse({ type: FilingViewDto })
  @ApiProblems(404)
  get(@CurrentPrincipal() principal: Principal, @Param('code') code: string) {
    return this.filings.get(principal, code);
  }
}

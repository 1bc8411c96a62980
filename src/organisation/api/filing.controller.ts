import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsNumber, IsOptional, IsString, Length, Matches, Max, Min, ValidateNested } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { CommandBus } from '@nestjs/cqrs';
import { CurrentPrincipal, type Principal } from '../../accounts/contracts/index.js';
import { InBusiness } from '../../settings/contracts/index.js';
import { commandResponse } from '../../shared/http/command-response.js';
import { ReadsProjections } from '../../shared/http/consistency.interceptor.js';
import { ApiPaging, type PageRequest, Paging } from '../../shared/http/paging.js';
import { CommandCtx } from '../../shared/http/request-context.js';
import type { CommandContext } from '../../shared/command/command-path.js';
import { DecideFiling, SubmitFiling } from '../application/filing.handlers.js';
import { BUILDING_TENURES, URBAN_RURAL_CODES } from '../domain/filing.decider.js';
import { FilingService } from '../application/filing.service.js';

class BasicDto {
  @IsString() @Length(1, 200, { message: '请填写地址（200 字以内）' }) address!: string;
  @IsString() @Length(1, 50, { message: '请填写园长姓名' }) principalName!: string;
  @Matches(/^[0-9+()\- ]{5,30}$/, { message: '联系电话格式不正确' }) phone!: string;
  @IsIn(URBAN_RURAL_CODES as unknown as string[], { message: '城乡分类代码应为 111/112/121/122/123/210/220' }) urbanRuralCode!: (typeof URBAN_RURAL_CODES)[number];
}

class BuildingDto {
  @IsString() @Length(1, 50, { message: '请填写建筑名称' }) name!: string;
  @IsIn(BUILDING_TENURES as unknown as string[], { message: '产权应为 self-built（自建）/rented（租赁）/borrowed（借用）/other（其他）' }) tenure!: (typeof BUILDING_TENURES)[number];
  @IsNumber({}, { message: '建筑面积应为数字（平方米）' }) @Min(0.01, { message: '建筑面积必须大于 0' }) area!: number;
  @IsInt({ message: '建成年份应为整数' }) @Min(1900, { message: '建成年份不早于 1900' }) @Max(2100) builtYear!: number;
}

class ConditionsDto {
  @IsNumber() @Min(0) siteArea!: number;
  @IsNumber() @Min(0) buildingArea!: number;
  @IsNumber() @Min(0) playgroundArea!: number;
  @IsInt() @Min(0) classrooms!: number;
}

class FilingDto {
  @ValidateNested() @Type(() => BasicDto) basic!: BasicDto;
  @IsOptional() @IsArray() @ArrayMaxSize(200) @ValidateNested({ each: true }) @Type(() => BuildingDto) buildings?: BuildingDto[];
  @IsOptional() @ValidateNested() @Type(() => ConditionsDto) conditions?: ConditionsDto;
}

class ApproveDto {
  @IsInt({ message: '请提供所审核的版本号 version' }) @Min(1) version!: number;
}

class FilingRejectDto extends ApproveDto {
  @IsString() @Length(2, 500, { message: '请填写驳回原因（2-500 字）' }) reason!: string;
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
  @ApiOperation({ summary: 'The institution files (or refiles, any time) its basic information, buildings and running conditions' })
  async submit(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Res({ passthrough: true }) reply: FastifyReply, @Param('code') code: string, @Body() body: FilingDto) {
    const content = { basic: { ...body.basic }, buildings: (body.buildings ?? []).map((b) => ({ ...b })), conditions: body.conditions ? { ...body.conditions } : null };
    return commandResponse(reply, code, await this.commandBus.execute(new SubmitFiling(principal, code, content, context)));
  }

  @Post('institutions/:code/filing/approve')
  @HttpCode(200)
  @ApiOperation({ summary: 'The county approves the pending version (an approval cannot be withdrawn; the institution refiles instead)' })
  async approve(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Res({ passthrough: true }) reply: FastifyReply, @Param('code') code: string, @Body() body: ApproveDto) {
    return commandResponse(reply, code, await this.commandBus.execute(new DecideFiling(principal, code, { version: body.version, approve: true }, context)));
  }

  @Post('institutions/:code/filing/reject')
  @HttpCode(200)
  @ApiOperation({ summary: 'The county rejects the pending version with a reason' })
  async reject(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Res({ passthrough: true }) reply: FastifyReply, @Param('code') code: string, @Body() body: FilingRejectDto) {
    return commandResponse(reply, code, await this.commandBus.execute(new DecideFiling(principal, code, { version: body.version, approve: false, reason: body.reason }, context)));
  }

  @Get('institution-filings')
  @ReadsProjections('institution-filings')
  @ApiOperation({ summary: 'Filings within the caller’s jurisdiction (status=submitted is the county’s review queue; approved ones carry the approved content)' })
  @ApiPaging()
  list(@CurrentPrincipal() principal: Principal, @Paging() page: PageRequest, @Query('status') status?: string) {
    return this.filings.list(principal, status, page.cursor, page.limit);
  }

  @Get('institutions/:code/filing')
  @ReadsProjections('institution-filings')
  get(@CurrentPrincipal() principal: Principal, @Param('code') code: string) {
    return this.filings.get(principal, code);
  }
}

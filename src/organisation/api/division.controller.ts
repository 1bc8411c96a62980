import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiQuery, ApiTags } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, type Principal } from '../../accounts/contracts/index.js';
import type { CommandContext } from '../../shared/command/command-path.js';
import { commandResponse } from '../../shared/http/command-response.js';
import { CommandCtx } from '../../shared/http/request-context.js';
import { CreateCustomDivision } from '../application/division.handlers.js';
import { DivisionService } from '../application/division.service.js';
import { ApiProblems, CommandAcceptedDto } from '../../shared/http/openapi.js';
import { DivisionDetailDto, DivisionListDto } from './organisation-responses.dto.js';

class CustomDivisionDto {
  @ApiProperty({ example: '410199', pattern: '^[0-9]{6}$', description: '新区划的代码' }) @Matches(/^[0-9]{6}$/, { message: '区划代码应为 6 位数字' }) code!: string;
  @ApiProperty({ example: '郑州航空港经济综合实验区', description: '区划名称' }) @IsString({ message: '请填写区划名称（50 字以内）' }) @Length(1, 50, { message: '请填写区划名称（50 字以内）' }) name!: string;
  @ApiProperty({ example: '410100', pattern: '^[0-9]{4}00$', description: '上级地级区划代码' }) @Matches(/^[0-9]{4}00$/, { message: '上级区划应为 6 位地级区划代码，例如 410100' }) parent!: string;
  @ApiProperty({ example: '豫政〔2026〕12 号', description: '省级申请的文号或理由' }) @IsString({ message: '请填写省级申请的文号或理由（2-200 字）' }) @Length(2, 200, { message: '请填写省级申请的文号或理由（2-200 字）' }) reason!: string;
}

@ApiTags('organisation')
@ApiBearerAuth()
@Controller('divisions')
export class DivisionController {
  constructor(
    private readonly divisions: DivisionService,
    private readonly commandBus: CommandBus,
  ) {}

  @Get()
  @ApiOperation({ summary: '省级行政区划，或 parent 的下级区划', description: 'GB/T 2260（国家统计局 2023），含自定义区划。' })
  @ApiQuery({ name: 'parent', required: false, description: '上级区划代码；不填则列出各省' })
  @ApiOkResponse({ type: DivisionListDto })
  @ApiProblems(404)
  async list(@Query('parent') parent?: string) {
    return { items: await this.divisions.children(parent ?? null) };
  }

  @Get(':code')
  @ApiOperation({ summary: '一个行政区划及其上级路径' })
  @ApiOkResponse({ type: DivisionDetailDto })
  @ApiProblems(404)
  get(@Param('code') code: string) {
    return this.divisions.get(code);
  }

  @Post('custom')
  @HttpCode(201)
  @ApiOperation({ summary: '教育部按省级申请在地级区划下创建县级自定义区划' })
  @ApiCreatedResponse({ type: CommandAcceptedDto })
  @ApiProblems(403, 404, 409, 422)
  async create(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Res({ passthrough: true }) reply: FastifyReply, @Body() body: CustomDivisionDto) {
    return commandResponse(reply, body.code, await this.commandBus.execute(new CreateCustomDivision(principal, { ...body }, context)));
  }
}

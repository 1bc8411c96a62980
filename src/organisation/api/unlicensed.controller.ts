import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiExtraModels, ApiOkResponse, ApiOperation, ApiProperty, ApiQuery, ApiTags } from '@nestjs/swagger';
import { IsIn, IsInt, IsString, Length, Max, Min } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { CommandBus } from '@nestjs/cqrs';
import { CurrentPrincipal, type Principal } from '../../accounts/contracts/index.js';
import { commandResponse } from '../../shared/http/command-response.js';
import { ReadsProjections } from '../../shared/http/consistency.interceptor.js';
import type { CommandContext } from '../../shared/command/command-path.js';
import { ApiPaging, type PageRequest, Paging } from '../../shared/http/paging.js';
import { CommandCtx } from '../../shared/http/request-context.js';
import { RecordUnlicensed, UpdateUnlicensed } from '../application/unlicensed.handlers.js';
import { UNLICENSED_STATUSES, type UnlicensedStatus } from '../domain/unlicensed.decider.js';
import { UnlicensedService } from '../application/unlicensed.service.js';
import { ApiPage, ApiProblems, CommandAcceptedDto } from '../../shared/http/openapi.js';
import { UnlicensedBucketDto, UnlicensedItemDto, UnlicensedSummaryDto } from './organisation-responses.dto.js';

class UnlicensedDto {
  @ApiProperty({ example: '小太阳看护点', description: '机构名称' }) @IsString({ message: '请填写机构名称（100 字以内）' }) @Length(1, 100, { message: '请填写机构名称（100 字以内）' }) name!: string;
  @ApiProperty({ example: '中原区建设路 1 号', description: '地址' }) @IsString({ message: '请填写地址（200 字以内）' }) @Length(1, 200, { message: '请填写地址（200 字以内）' }) address!: string;
  @ApiProperty({ minimum: 0, maximum: 100000, description: '在园幼儿数' }) @IsInt({ message: '在园幼儿数应为整数' }) @Min(0, { message: '在园幼儿数不能为负' }) @Max(100000, { message: '在园幼儿数不能超过 100000' }) children!: number;
  @ApiProperty({ minimum: 0, maximum: 10000, description: '教职工数' }) @IsInt({ message: '教职工数应为整数' }) @Min(0, { message: '教职工数不能为负' }) @Max(10000, { message: '教职工数不能超过 10000' }) staff!: number;
  @ApiProperty({ enum: UNLICENSED_STATUSES, description: '状态：operating 在办 / rectifying 整改中 / closed 已关停' }) @IsIn(UNLICENSED_STATUSES as unknown as string[], { message: '状态应为 operating（在办）/rectifying（整改中）/closed（已关停）' }) status!: UnlicensedStatus;
}

@ApiTags('organisation')
@ApiBearerAuth()
@Controller('unlicensed-institutions')
export class UnlicensedController {
  constructor(
    private readonly unlicensed: UnlicensedService,
    private readonly commandBus: CommandBus,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: '区县登记无证机构（不开设账号）' })
  @ApiCreatedResponse({ type: CommandAcceptedDto })
  @ApiProblems(403)
  async record(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Res({ passthrough: true }) reply: FastifyReply, @Body() body: UnlicensedDto) {
    const { id, outcome } = await this.commandBus.execute(new RecordUnlicensed(principal, { ...body }, context));
    return commandResponse(reply, id, outcome);
  }

  @Put(':id')
  @HttpCode(200)
  @ApiOperation({ summary: '更新无证机构的信息或状态' })
  @ApiOkResponse({ type: CommandAcceptedDto })
  @ApiProblems(403, 404)
  async update(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Res({ passthrough: true }) reply: FastifyReply, @Param('id', ParseUUIDPipe) id: string, @Body() body: UnlicensedDto) {
    return commandResponse(reply, id, await this.commandBus.execute(new UpdateUnlicensed(principal, id, { ...body }, context)));
  }

  @Get()
  @ReadsProjections('unlicensed-institutions')
  @ApiOperation({ summary: '管辖范围内的无证机构' })
  @ApiQuery({ name: 'status', required: false, enum: UNLICENSED_STATUSES, description: '状态' })
  @ApiPage(UnlicensedItemDto)
  @ApiPaging()
  list(@CurrentPrincipal() principal: Principal, @Paging() page: PageRequest, @Query('status') status?: string) {
    return this.unlicensed.list(principal, status, page.cursor, page.limit);
  }

  @Get('summary')
  @ReadsProjections('unlicensed-institutions')
  @ApiOperation({ summary: '管辖范围内无证机构的幼儿和教职工人数（在办 + 整改中），用于统计' })
  @ApiExtraModels(UnlicensedBucketDto)
  @ApiOkResponse({ type: UnlicensedSummaryDto })
  summary(@CurrentPrincipal() principal: Principal) {
    return this.unlicensed.summary(principal);
  }
}

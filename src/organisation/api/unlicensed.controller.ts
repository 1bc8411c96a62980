import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
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

class UnlicensedDto {
  @IsString() @Length(1, 100, { message: '请填写机构名称（100 字以内）' }) name!: string;
  @IsString() @Length(1, 200, { message: '请填写地址（200 字以内）' }) address!: string;
  @IsInt({ message: '在园幼儿数应为整数' }) @Min(0) @Max(100000) children!: number;
  @IsInt({ message: '教职工数应为整数' }) @Min(0) @Max(10000) staff!: number;
  @IsIn(UNLICENSED_STATUSES as unknown as string[], { message: '状态应为 operating（在办）/rectifying（整改中）/closed（已关停）' }) status!: UnlicensedStatus;
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
  @ApiOperation({ summary: 'The county records an unlicensed institution (无证机构); it never gets accounts' })
  async record(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Res({ passthrough: true }) reply: FastifyReply, @Body() body: UnlicensedDto) {
    const { id, outcome } = await this.commandBus.execute(new RecordUnlicensed(principal, { ...body }, context));
    return commandResponse(reply, id, outcome);
  }

  @Put(':id')
  @HttpCode(200)
  async update(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Res({ passthrough: true }) reply: FastifyReply, @Param('id', ParseUUIDPipe) id: string, @Body() body: UnlicensedDto) {
    return commandResponse(reply, id, await this.commandBus.execute(new UpdateUnlicensed(principal, id, { ...body }, context)));
  }

  @Get()
  @ReadsProjections('unlicensed-institutions')
  @ApiPaging()
  list(@CurrentPrincipal() principal: Principal, @Paging() page: PageRequest, @Query('status') status?: string) {
    return this.unlicensed.list(principal, status, page.cursor, page.limit);
  }

  @Get('summary')
  @ReadsProjections('unlicensed-institutions')
  @ApiOperation({ summary: 'Children and staff in unlicensed care within the jurisdiction (open = operating + rectifying), for reports' })
  summary(@CurrentPrincipal() principal: Principal) {
    return this.unlicensed.summary(principal);
  }
}

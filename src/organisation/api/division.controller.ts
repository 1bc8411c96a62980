import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, type Principal } from '../../accounts/contracts/index.js';
import type { CommandContext } from '../../shared/command/command-path.js';
import { commandResponse } from '../../shared/http/command-response.js';
import { CommandCtx } from '../../shared/http/request-context.js';
import { CreateCustomDivision } from '../application/division.handlers.js';
import { DivisionService } from '../application/division.service.js';

class CustomDivisionDto {
  @Matches(/^[0-9]{6}$/, { message: '区划代码应为 6 位数字' }) code!: string;
  @IsString() @Length(1, 50, { message: '请填写区划名称（50 字以内）' }) name!: string;
  @Matches(/^[0-9]{4}00$/, { message: '上级区划应为 6 位地级区划代码，例如 410100' }) parent!: string;
  @IsString() @Length(2, 200, { message: '请填写省级申请的文号或理由（2-200 字）' }) reason!: string;
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
  @ApiOperation({ summary: 'Provinces, or the children of ?parent= (GB/T 2260, NBS 2023, plus custom divisions)' })
  async list(@Query('parent') parent?: string) {
    return { items: await this.divisions.children(parent ?? null) };
  }

  @Get(':code')
  get(@Param('code') code: string) {
    return this.divisions.get(code);
  }

  @Post('custom')
  @HttpCode(201)
  @ApiOperation({ summary: 'The ministry creates a county-level custom division under a prefecture, on a province’s request' })
  async create(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Res({ passthrough: true }) reply: FastifyReply, @Body() body: CustomDivisionDto) {
    return commandResponse(reply, body.code, await this.commandBus.execute(new CreateCustomDivision(principal, { ...body }, context)));
  }
}

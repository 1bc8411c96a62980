import { Body, Controller, Get, HttpCode, Param, Post, Put, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { ApiProblems, CommandAcceptedDto } from '../../shared/http/openapi.js';
import { IsBoolean, IsISO8601, IsString, Length } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, type Principal } from '../../accounts/contracts/index.js';
import { notFound } from '../../shared/domain/domain-error.js';
import { commandResponse } from '../../shared/http/command-response.js';
import { type Business, isBusiness } from '../domain/province-settings.decider.js';
import { SettingsService } from '../application/settings.service.js';
import { SetBusinessWindow, SwitchBusiness } from '../application/settings.handlers.js';
import { CommandBus } from '@nestjs/cqrs';
import type { CommandContext } from '../../shared/command/command-path.js';
import { CommandCtx } from '../../shared/http/request-context.js';

class SwitchDto {
  @ApiProperty({ description: '开启（true）或关闭（false）' }) @IsBoolean({ message: '是否开启（enabled）应为 true 或 false' }) enabled!: boolean;
  @ApiProperty({ example: '秋季学期学籍注册', description: '原因（2-200 字）' }) @IsString({ message: '请填写原因（2-200 字）' }) @Length(2, 200, { message: '请填写原因（2-200 字）' }) reason!: string;
}

class WindowDto {
  @ApiProperty({ format: 'date-time', example: '2026-09-01T00:00:00+08:00', description: '开始时间' }) @IsISO8601({ strict: true }, { message: '开始时间应为 ISO 8601 时间，例如 2026-09-01T00:00:00+08:00' }) opensAt!: string;
  @ApiProperty({ format: 'date-time', example: '2026-10-15T23:59:59+08:00', description: '结束时间' }) @IsISO8601({ strict: true }, { message: '结束时间应为 ISO 8601 时间，例如 2026-10-15T23:59:59+08:00' }) closesAt!: string;
  @ApiProperty({ example: '秋季学期学籍注册', description: '原因（2-200 字）' }) @IsString({ message: '请填写原因（2-200 字）' }) @Length(2, 200, { message: '请填写原因（2-200 字）' }) reason!: string;
}

class ReasonDto {
  @ApiProperty({ example: '全年开放', description: '原因（2-200 字）' }) @IsString({ message: '请填写原因（2-200 字）' }) @Length(2, 200, { message: '请填写原因（2-200 字）' }) reason!: string;
}

class BusinessWindowDto {
  @ApiProperty({ format: 'date-time' }) opensAt!: string;
  @ApiProperty({ format: 'date-time' }) closesAt!: string;
}

class BusinessSettingDto {
  @ApiProperty({ example: 'record-registration' }) business!: string;
  @ApiProperty({ example: '幼儿学籍登记' }) label!: string;
  @ApiProperty() enabled!: boolean;
  @ApiProperty({ type: BusinessWindowDto, nullable: true, description: '开放时间窗口；null 为随时开放' }) window!: BusinessWindowDto | null;
}

class SettingsViewDto {
  @ApiProperty({ example: '410000' }) provinceCode!: string;
  @ApiProperty({ type: [BusinessSettingDto] }) businesses!: BusinessSettingDto[];
}

function business(value: string): Business {
  if (!isBusiness(value)) throw notFound('unknown-business', `没有名为 ${value} 的业务`);
  return value;
}

@ApiTags('settings')
@ApiBearerAuth()
@Controller('settings')
export class SettingsController {
  constructor(
    private readonly settings: SettingsService,
    private readonly commandBus: CommandBus,
  ) {}

  @Get()
  @ApiOperation({ summary: '本省的业务开关和业务时间窗口' })
  @ApiOkResponse({ type: SettingsViewDto })
  view(@CurrentPrincipal() principal: Principal) {
    return this.settings.view(this.settings.provinceOf(principal));
  }

  @Post('businesses/:business/switch')
  @HttpCode(200)
  @ApiOperation({ summary: '开启或关闭一项业务（省级管理员，记录原因）' })
  @ApiOkResponse({ type: CommandAcceptedDto })
  @ApiProblems(403, 404)
  async switch(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Res({ passthrough: true }) reply: FastifyReply, @Param('business') name: string, @Body() body: SwitchDto) {
    const outcome = await this.commandBus.execute(new SwitchBusiness(principal, business(name), body.enabled, body.reason, context));
    return commandResponse(reply, name, outcome);
  }

  @Put('businesses/:business/window')
  @HttpCode(200)
  @ApiOperation({ summary: '设置业务的开放时间窗口（省级管理员）' })
  @ApiOkResponse({ type: CommandAcceptedDto })
  @ApiProblems(403, 404, 422)
  async window(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Res({ passthrough: true }) reply: FastifyReply, @Param('business') name: string, @Body() body: WindowDto) {
    const window = { opensAt: new Date(body.opensAt).toISOString(), closesAt: new Date(body.closesAt).toISOString() };
    const outcome = await this.commandBus.execute(new SetBusinessWindow(principal, business(name), window, body.reason, context));
    return commandResponse(reply, name, outcome);
  }

  @Post('businesses/:business/window/clear')
  @HttpCode(200)
  @ApiOperation({ summary: '取消时间窗口：业务随时开放' })
  @ApiOkResponse({ type: CommandAcceptedDto })
  @ApiProblems(403, 404)
  async clear(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Res({ passthrough: true }) reply: FastifyReply, @Param('business') name: string, @Body() body: ReasonDto) {
    const outcome = await this.commandBus.execute(new SetBusinessWindow(principal, business(name), null, body.reason, context));
    return commandResponse(reply, name, outcome);
  }
}

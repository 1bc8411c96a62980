import { Body, Controller, Get, HttpCode, Param, Post, Put, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
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
  @IsBoolean({ message: 'enabled 应为 true 或 false' }) enabled!: boolean;
  @IsString() @Length(2, 200, { message: '请填写原因（2-200 字）' }) reason!: string;
}

class WindowDto {
  @IsISO8601({ strict: true }, { message: '开始时间应为 ISO 8601 时间，例如 2026-09-01T00:00:00+08:00' }) opensAt!: string;
  @IsISO8601({ strict: true }, { message: '结束时间应为 ISO 8601 时间，例如 2026-10-15T23:59:59+08:00' }) closesAt!: string;
  @IsString() @Length(2, 200, { message: '请填写原因（2-200 字）' }) reason!: string;
}

class ReasonDto {
  @IsString() @Length(2, 200, { message: '请填写原因（2-200 字）' }) reason!: string;
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
  @ApiOperation({ summary: 'Feature switches and business time windows of the caller’s province' })
  view(@CurrentPrincipal() principal: Principal) {
    return this.settings.view(this.settings.provinceOf(principal));
  }

  @Post('businesses/:business/switch')
  @HttpCode(200)
  @ApiOperation({ summary: 'Switch a business on or off (province administrator; recorded with the reason)' })
  async switch(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Res({ passthrough: true }) reply: FastifyReply, @Param('business') name: string, @Body() body: SwitchDto) {
    const outcome = await this.commandBus.execute(new SwitchBusiness(principal, business(name), body.enabled, body.reason, context));
    return commandResponse(reply, name, outcome);
  }

  @Put('businesses/:business/window')
  @HttpCode(200)
  @ApiOperation({ summary: 'Open a business only between two times (province administrator)' })
  async window(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Res({ passthrough: true }) reply: FastifyReply, @Param('business') name: string, @Body() body: WindowDto) {
    const window = { opensAt: new Date(body.opensAt).toISOString(), closesAt: new Date(body.closesAt).toISOString() };
    const outcome = await this.commandBus.execute(new SetBusinessWindow(principal, business(name), window, body.reason, context));
    return commandResponse(reply, name, outcome);
  }

  @Post('businesses/:business/window/clear')
  @HttpCode(200)
  @ApiOperation({ summary: 'Remove the time window: the business is open at any time' })
  async clear(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Res({ passthrough: true }) reply: FastifyReply, @Param('business') name: string, @Body() body: ReasonDto) {
    const outcome = await this.commandBus.execute(new SetBusinessWindow(principal, business(name), null, body.reason, context));
    return commandResponse(reply, name, outcome);
  }
}

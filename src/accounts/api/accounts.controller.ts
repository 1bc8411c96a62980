import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { commandResponse } from '../../shared/http/command-response.js';
import { ReadsProjections } from '../../shared/http/consistency.interceptor.js';
import { AllowedBeforePasswordChange, Public } from '../../shared/http/public.decorator.js';
import { clientAddress } from '../../shared/http/rate-limit.js';
import { LEVELS, type Level, ROLES, type Role } from '../domain/account.js';
import { AccountService } from '../application/account.service.js';
import { ChangePassword, CreateAccount, KickOut, KickOutMany, LogIn, LogOut, ResetPassword } from '../application/account.commands.js';
import { CommandBus } from '@nestjs/cqrs';
import type { AuthenticatedRequest } from './auth.guard.js';
import { CurrentPrincipal } from './current-principal.decorator.js';
import type { Principal } from '../application/principal.js';
import type { CommandContext } from '../../shared/command/command-path.js';
import { CommandCtx } from '../../shared/http/request-context.js';
import { ApiPaging, type PageRequest, Paging } from '../../shared/http/paging.js';

class LoginDto {
  @IsString({ message: '请输入账号' }) @Length(1, 64, { message: '账号长度为 1-64 位' }) username!: string;
  @IsString({ message: '请输入密码' }) @Length(1, 128, { message: '密码长度为 1-128 位' }) password!: string;
}

class ChangePasswordDto {
  @IsString({ message: '请输入原密码' }) @Length(1, 128) currentPassword!: string;
  @IsString({ message: '请输入新密码' }) @Length(1, 128) newPassword!: string;
}

class CreateAccountDto {
  @IsString() @Matches(/^[A-Za-z0-9._-]{3,64}$/, { message: '账号名为 3-64 位字母、数字或 . _ -' }) username!: string;
  @IsString() @Length(2, 50, { message: '请填写实名（2-50 字）' }) realName!: string;
  @IsIn(LEVELS as unknown as string[], { message: '层级应为 ministry/province/prefecture/county/institution' }) level!: Level;
  @IsIn(ROLES as unknown as string[], { message: '角色应为 business/review/leader/admin' }) role!: Role;
  @Matches(/^[0-9]{6}$/, { message: '行政区划代码应为 6 位数字' }) divisionCode!: string;
  @IsOptional() @Matches(/^[0-9]{10}$/, { message: '机构标识码应为 10 位数字' }) institutionCode?: string;
}

class KickOutManyDto {
  @IsArray() @ArrayMinSize(1, { message: '请选择要踢出的账号' }) @ArrayMaxSize(500) @IsUUID('all', { each: true, message: '账号编号格式不正确' }) accountIds!: string[];
  @IsString({ message: '请填写原因' }) @Length(2, 200, { message: '原因为 2-200 字' }) reason!: string;
}

class ReasonDto {
  @IsString({ message: '请填写原因' }) @Length(2, 200, { message: '原因为 2-200 字' }) reason!: string;
}

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Log in; returns a bearer token. One live session per account: a second login is refused (409 session-live). Repeated wrong passwords are refused for a growing time (429 login-throttled, Retry-After).' })
  login(@Req() req: AuthenticatedRequest, @Body() body: LoginDto) {
    return this.commandBus.execute(new LogIn(body.username, body.password, { correlationId: String(req.id), causationId: null }, clientAddress(req)));
  }

  @Post('logout')
  @AllowedBeforePasswordChange()
  @HttpCode(200)
  @ApiBearerAuth()
  async logout(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Res({ passthrough: true }) reply: FastifyReply) {
    return commandResponse(reply, principal.accountId, await this.commandBus.execute(new LogOut(principal, context)));
  }

  @Get('me')
  @AllowedBeforePasswordChange()
  @ApiBearerAuth()
  me(@CurrentPrincipal() principal: Principal) {
    const { sessionId: _s, ...me } = principal;
    return me;
  }

  @Post('password')
  @AllowedBeforePasswordChange()
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Change the own password (required after the first login, after a reset and when older than 90 days); common passwords are refused; a wrong current password counts as a failed login' })
  async changePassword(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Req() req: AuthenticatedRequest, @Res({ passthrough: true }) reply: FastifyReply, @Body() body: ChangePasswordDto) {
    const outcome = await this.commandBus.execute(new ChangePassword(principal, body.currentPassword, body.newPassword, context, clientAddress(req)));
    return commandResponse(reply, principal.accountId, outcome);
  }
}

@ApiTags('accounts')
@ApiBearerAuth()
@Controller('accounts')
export class AccountsController {
  constructor(
    private readonly accounts: AccountService,
    private readonly commandBus: CommandBus,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'An administrator creates an account of its own organisation or of one below it; the initial password is returned once' })
  create(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Body() body: CreateAccountDto) {
    return this.commandBus.execute(new CreateAccount(principal, { ...body, institutionCode: body.institutionCode ?? null }, context));
  }

  @Get()
  @ReadsProjections('accounts')
  @ApiOperation({ summary: 'Accounts within the caller’s jurisdiction (administrators)' })
  list(@CurrentPrincipal() principal: Principal, @Paging() page: PageRequest, @Query('institutionCode') institutionCode?: string, @Query('role') role?: string) {
    return this.accounts.list(principal, { ...(institutionCode ? { institutionCode } : {}), ...(role ? { role } : {}) }, page.cursor, page.limit);
  }

  @Get(':id/history')
  @ApiOperation({ summary: 'Security events of an account: logins and failures, lockouts, resets, kick-outs, with actor and reason' })
  history(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.accounts.history(principal, id);
  }

  @Post('kick-out')
  @HttpCode(200)
  @ApiOperation({ summary: 'Kick out the live sessions of many accounts at once' })
  async kickOutMany(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Body() body: KickOutManyDto) {
    const kicked = await this.commandBus.execute(new KickOutMany(principal, body.accountIds, body.reason, context));
    return { items: kicked.map(({ accountId, outcome }) => ({ accountId, kickedOut: outcome.events.length > 0, position: outcome.position })) };
  }

  @Post(':id/kick-out')
  @HttpCode(200)
  @ApiOperation({ summary: 'End the live session of an account (踢出)' })
  async kickOut(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Res({ passthrough: true }) reply: FastifyReply, @Param('id', ParseUUIDPipe) id: string, @Body() body: ReasonDto) {
    return commandResponse(reply, id, await this.commandBus.execute(new KickOut(principal, id, body.reason, context)));
  }

  @Post(':id/password-reset')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reset a password (hierarchy rules apply); the temporary password is returned once and must be changed at login' })
  async reset(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Res({ passthrough: true }) reply: FastifyReply, @Param('id', ParseUUIDPipe) id: string, @Body() body: ReasonDto) {
    const { temporaryPassword, outcome } = await this.commandBus.execute(new ResetPassword(principal, id, body.reason, context));
    return { ...commandResponse(reply, id, outcome), temporaryPassword };
  }
}

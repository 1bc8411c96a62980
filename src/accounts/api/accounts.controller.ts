import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ApiPage, ApiProblems, CommandAcceptedDto } from '../../shared/http/openapi.js';
import { AccountDto, AccountHistoryEntryDto, CreatedAccountDto, KickedOutManyDto, LoginResultDto, MeDto, PasswordResetDto } from './account-responses.dto.js';
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
  @ApiProperty({ example: '1141010001-business', description: '账号名' }) @IsString({ message: '请输入账号' }) @Length(1, 64, { message: '账号长度为 1-64 位' }) username!: string;
  @ApiProperty({ format: 'password', description: '密码' }) @IsString({ message: '请输入密码' }) @Length(1, 128, { message: '密码长度为 1-128 位' }) password!: string;
}

class ChangePasswordDto {
  @ApiProperty({ format: 'password', description: '原密码' }) @IsString({ message: '请输入原密码' }) @Length(1, 128, { message: '原密码长度为 1-128 位' }) currentPassword!: string;
  @ApiProperty({ format: 'password', description: '新密码（常见密码会被拒绝）' }) @IsString({ message: '请输入新密码' }) @Length(1, 128, { message: '新密码长度为 1-128 位' }) newPassword!: string;
}

class CreateAccountDto {
  @ApiProperty({ example: 'zy-county-admin', pattern: '^[A-Za-z0-9._-]{3,64}$', description: '账号名' }) @IsString({ message: '请填写账号名' }) @Matches(/^[A-Za-z0-9._-]{3,64}$/, { message: '账号名为 3-64 位字母、数字或 . _ -' }) username!: string;
  @ApiProperty({ example: '张丽', description: '实名（2-50 字）' }) @IsString({ message: '请填写实名（2-50 字）' }) @Length(2, 50, { message: '请填写实名（2-50 字）' }) realName!: string;
  @ApiProperty({ enum: LEVELS, description: '层级' }) @IsIn(LEVELS as unknown as string[], { message: '层级应为 ministry/province/prefecture/county/institution' }) level!: Level;
  @ApiProperty({ enum: ROLES, description: '角色' }) @IsIn(ROLES as unknown as string[], { message: '角色应为 business/review/leader/admin/school-registrar' }) role!: Role;
  @ApiProperty({ example: '410102', pattern: '^[0-9]{6}$', description: '所属行政区划代码' }) @Matches(/^[0-9]{6}$/, { message: '行政区划代码应为 6 位数字' }) divisionCode!: string;
  @ApiPropertyOptional({ example: '1141010001', pattern: '^[0-9]{10}$', description: '机构标识码（机构层级的账号必填）' }) @IsOptional() @Matches(/^[0-9]{10}$/, { message: '机构标识码应为 10 位数字' }) institutionCode?: string;
}

class KickOutManyDto {
  @ApiProperty({ type: [String], format: 'uuid', description: '要踢出的账号编号（1-500 个）' }) @IsArray({ message: '请选择要踢出的账号' }) @ArrayMinSize(1, { message: '请选择要踢出的账号' }) @ArrayMaxSize(500, { message: '一次最多踢出 500 个账号' }) @IsUUID('all', { each: true, message: '账号编号格式不正确' }) accountIds!: string[];
  @ApiProperty({ example: '人员调离', description: '原因（2-200 字）' }) @IsString({ message: '请填写原因' }) @Length(2, 200, { message: '原因为 2-200 字' }) reason!: string;
}

class ReasonDto {
  @ApiProperty({ example: '人员调离', description: '原因（2-200 字）' }) @IsString({ message: '请填写原因' }) @Length(2, 200, { message: '原因为 2-200 字' }) reason!: string;
}

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: '登录，返回会话令牌', description: '每个账号同时只能有一个在线会话：再次登录被拒绝（409 session-live）。连续输错密码会被限制一段逐渐增长的时间（429 login-throttled，见 Retry-After）。' })
  @ApiOkResponse({ type: LoginResultDto })
  @ApiProblems(401, 409, 423, 429)
  login(@Req() req: AuthenticatedRequest, @Body() body: LoginDto) {
    return this.commandBus.execute(new LogIn(body.username, body.password, { correlationId: String(req.id), causationId: null, clientAddress: clientAddress(req) }, clientAddress(req)));
  }

  @Post('logout')
  @AllowedBeforePasswordChange()
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: '退出登录（结束本会话）' })
  @ApiOkResponse({ type: CommandAcceptedDto })
  async logout(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Res({ passthrough: true }) reply: FastifyReply) {
    return commandResponse(reply, principal.accountId, await this.commandBus.execute(new LogOut(principal, context)));
  }

  @Get('me')
  @AllowedBeforePasswordChange()
  @ApiBearerAuth()
  @ApiOperation({ summary: '当前登录的账号' })
  @ApiOkResponse({ type: MeDto })
  me(@CurrentPrincipal() principal: Principal) {
    const { sessionId: _s, ...me } = principal;
    return me;
  }

  @Post('password')
  @AllowedBeforePasswordChange()
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: '修改本人密码', description: '首次登录、被重置后和超过 90 天时必须修改；常见密码会被拒绝；原密码输错计为一次登录失败。' })
  @ApiOkResponse({ type: CommandAcceptedDto })
  @ApiProblems(422, 429)
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
  @ApiOperation({ summary: '创建账号', description: '系统管理员为本级或下级组织创建账号；初始密码只返回这一次。' })
  @ApiCreatedResponse({ type: CreatedAccountDto })
  @ApiProblems(403, 404, 409, 422)
  create(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Body() body: CreateAccountDto) {
    return this.commandBus.execute(new CreateAccount(principal, { ...body, institutionCode: body.institutionCode ?? null }, context));
  }

  @Get()
  @ReadsProjections('accounts')
  @ApiOperation({ summary: '管辖范围内的账号（系统管理员）' })
  @ApiQuery({ name: 'institutionCode', required: false, description: '只列出该机构的账号' })
  @ApiQuery({ name: 'role', required: false, enum: ROLES, description: '只列出该角色的账号' })
  @ApiPage(AccountDto)
  @ApiProblems(403)
  @ApiPaging()
  list(@CurrentPrincipal() principal: Principal, @Paging() page: PageRequest, @Query('institutionCode') institutionCode?: string, @Query('role') role?: string) {
    return this.accounts.list(principal, { ...(institutionCode ? { institutionCode } : {}), ...(role ? { role } : {}) }, page.cursor, page.limit);
  }

  @Get(':id/history')
  @ApiOperation({ summary: '账号的安全记录', description: '登录与失败、锁定、重置、踢出，含操作人和原因。' })
  @ApiOkResponse({ type: [AccountHistoryEntryDto] })
  @ApiProblems(403, 404)
  history(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.accounts.history(principal, id);
  }

  @Post('kick-out')
  @HttpCode(200)
  @ApiOperation({ summary: '批量踢出在线账号' })
  @ApiOkResponse({ type: KickedOutManyDto })
  @ApiProblems(403, 404)
  async kickOutMany(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Body() body: KickOutManyDto) {
    const kicked = await this.commandBus.execute(new KickOutMany(principal, body.accountIds, body.reason, context));
    return { items: kicked.map(({ accountId, outcome }) => ({ accountId, kickedOut: outcome.events.length > 0, position: outcome.position })) };
  }

  @Post(':id/kick-out')
  @HttpCode(200)
  @ApiOperation({ summary: '踢出账号的在线会话' })
  @ApiOkResponse({ type: CommandAcceptedDto })
  @ApiProblems(403, 404)
  async kickOut(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Res({ passthrough: true }) reply: FastifyReply, @Param('id', ParseUUIDPipe) id: string, @Body() body: ReasonDto) {
    return commandResponse(reply, id, await this.commandBus.execute(new KickOut(principal, id, body.reason, context)));
  }

  @Post(':id/password-reset')
  @HttpCode(200)
  @ApiOperation({ summary: '重置密码', description: '按层级规则重置；临时密码只返回这一次，登录后须修改。' })
  @ApiOkResponse({ type: PasswordResetDto })
  @ApiProblems(403, 404, 422)
  async reset(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Res({ passthrough: true }) reply: FastifyReply, @Param('id', ParseUUIDPipe) id: string, @Body() body: ReasonDto) {
    const { temporaryPassword, outcome } = await this.commandBus.execute(new ResetPassword(principal, id, body.reason, context));
    return { ...commandResponse(reply, id, outcome), temporaryPassword };
  }
}

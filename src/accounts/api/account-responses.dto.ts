import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ActorDto } from '../../shared/http/openapi.js';
import { LEVELS, ROLES } from '../domain/account.js';

export class LoginResultDto {
  @ApiProperty({ description: '会话令牌：后续请求放在 Authorization: Bearer <token> 中' }) token!: string;
  @ApiProperty() accountId!: string;
  @ApiProperty({ format: 'date-time', description: '会话到期时间（闲置也会结束）' }) expiresAt!: string;
  @ApiProperty({ description: 'true：须先修改密码（POST /auth/password）才能办理业务' }) mustChangePassword!: boolean;
  @ApiProperty({ description: '事件日志位置' }) position!: number;
}

export class MeDto {
  @ApiProperty() accountId!: string;
  @ApiProperty() username!: string;
  @ApiProperty() realName!: string;
  @ApiProperty({ enum: ROLES }) role!: string;
  @ApiProperty({ enum: LEVELS }) level!: string;
  @ApiProperty() divisionCode!: string;
  @ApiProperty({ type: String, nullable: true }) institutionCode!: string | null;
  @ApiProperty({ description: '机构标识码，机构以上为行政区划代码' }) organisationId!: string;
  @ApiProperty() mustChangePassword!: boolean;
}

export class SessionDto {
  @ApiProperty({ format: 'date-time' }) startedAt!: string;
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
}

export class AccountDto {
  @ApiProperty() id!: string;
  @ApiProperty() username!: string;
  @ApiProperty() realName!: string;
  @ApiProperty({ enum: LEVELS }) level!: string;
  @ApiProperty({ enum: ROLES }) role!: string;
  @ApiProperty() divisionCode!: string;
  @ApiProperty({ type: String, nullable: true }) institutionCode!: string | null;
  @ApiProperty() disabled!: boolean;
  @ApiProperty({ type: String, nullable: true, format: 'date-time', description: '锁定到何时（连续输错密码）' }) lockedUntil!: string | null;
  @ApiProperty({ type: SessionDto, nullable: true, description: '在线会话' }) session!: SessionDto | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) lastLoginAt!: string | null;
  @ApiProperty({ format: 'date-time' }) passwordChangedAt!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class CreatedAccountDto {
  @ApiProperty() accountId!: string;
  @ApiProperty({ description: '初始密码，只返回这一次；首次登录须修改' }) initialPassword!: string;
  @ApiProperty() position!: number;
  @ApiProperty() revision!: number;
}

export class AccountHistoryEntryDto {
  @ApiProperty({ example: 'LoginSucceeded', description: '事件类型' }) type!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ type: ActorDto }) actor!: ActorDto;
  @ApiProperty({ type: String, nullable: true }) reason!: string | null;
  @ApiProperty() correlationId!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: '事件内容（不含密码和令牌的散列）' }) data!: Record<string, unknown>;
}

export class KickedOutDto {
  @ApiProperty() accountId!: string;
  @ApiProperty({ description: 'false：该账号本来不在线' }) kickedOut!: boolean;
  @ApiProperty() position!: number;
}

export class KickedOutManyDto {
  @ApiProperty({ type: [KickedOutDto] }) items!: KickedOutDto[];
}

export class PasswordResetDto {
  @ApiProperty() id!: string;
  @ApiProperty() revision!: number;
  @ApiProperty() position!: number;
  @ApiProperty({ type: [String] }) events!: string[];
  @ApiPropertyOptional({ description: '临时密码，只返回这一次；登录后须修改' }) temporaryPassword!: string;
}

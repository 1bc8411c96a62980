import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { CLIENT_LEVELS, PROFILES } from '../domain/api-client.decider.js';

export class RegisterApiClientDto {
  @ApiProperty({ description: '客户端名称（门户或系统名）', example: '郑州市中原区教育门户' })
  @IsString() @Length(2, 100, { message: '请填写客户端名称（2-100 字）' }) name!: string;
  @ApiProperty({ enum: CLIENT_LEVELS, description: '数据范围的级别' })
  @IsIn(CLIENT_LEVELS, { message: 'level 应为 province、prefecture 或 county' }) level!: (typeof CLIENT_LEVELS)[number];
  @ApiProperty({ description: '数据范围的行政区划代码（GB/T 2260）', example: '410102' })
  @IsString() @Matches(/^[1-9][0-9]{5}$/, { message: '行政区划代码应为 6 位数字' }) divisionCode!: string;
  @ApiProperty({ enum: PROFILES, description: 'summary 仅统计字段；masked 学籍数据（证件号等脱敏）；personal 含个人信息的学籍数据' })
  @IsIn(PROFILES, { message: 'profile 应为 summary、masked 或 personal' }) profile!: (typeof PROFILES)[number];
}

export class RevokeApiClientDto {
  @ApiProperty({ description: '吊销原因', example: '门户停用' })
  @IsString() @Length(2, 200, { message: '请填写原因（2-200 字）' }) reason!: string;
}

export class ApiClientSecretDto {
  @ApiProperty({ example: 'cl_3f9a2c7e5b1d4a60' }) clientId!: string;
  @ApiProperty({ description: '客户端密钥，只显示这一次，请妥善保存' }) clientSecret!: string;
  @ApiProperty() revision!: number;
  @ApiProperty() position!: number;
}

export class ApiClientDto {
  @ApiProperty() clientId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: CLIENT_LEVELS }) level!: string;
  @ApiProperty() divisionCode!: string;
  @ApiProperty({ enum: PROFILES }) profile!: string;
  @ApiProperty({ enum: ['active', 'revoked'] }) status!: string;
  @ApiProperty() registeredAt!: string;
  @ApiProperty({ nullable: true, type: String }) secretRotatedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) revokedAt!: string | null;
}

export class ApiClientPageDto {
  @ApiProperty({ type: [ApiClientDto] }) items!: ApiClientDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class CommandAcceptedDto {
  @ApiProperty() id!: string;
  @ApiProperty() revision!: number;
  @ApiProperty() position!: number;
  @ApiProperty({ type: [String] }) events!: string[];
}

/** RFC 6749 section 4.4.2, as a form (application/x-www-form-urlencoded) or as JSON; the credentials may come as HTTP Basic instead. */
export class TokenRequestDto {
  @ApiProperty({ enum: ['client_credentials'] })
  @IsString({ message: 'grant_type 必填' }) grant_type!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() client_id?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() client_secret?: string;
  @ApiPropertyOptional({ description: '不使用（令牌的范围即客户端登记的数据范围）' }) @IsOptional() @IsString() scope?: string;
}

export class TokenResponseDto {
  @ApiProperty() access_token!: string;
  @ApiProperty({ enum: ['Bearer'] }) token_type!: string;
  @ApiProperty({ description: '有效秒数' }) expires_in!: number;
}

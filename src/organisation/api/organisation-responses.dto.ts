import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { FieldErrorDto } from '../../shared/http/openapi.js';

export class InstitutionDto {
  @ApiProperty({ example: '1141010001', description: '机构标识码' }) code!: string;
  @ApiProperty({ example: '中原区实验幼儿园' }) name!: string;
  @ApiProperty({ description: '机构类型' }) type!: string;
  @ApiProperty({ description: '举办者类型' }) ownership!: string;
  @ApiProperty({ type: String, nullable: true, description: '办学许可证号' }) licence!: string | null;
  @ApiProperty() divisionCode!: string;
  @ApiProperty({ type: String, nullable: true }) prefectureCode!: string | null;
  @ApiProperty() provinceCode!: string;
  @ApiProperty({ enum: ['active', 'revoked'] }) status!: string;
  @ApiProperty({ type: [String], description: '曾用名' }) formerNames!: string[];
  @ApiProperty({ format: 'date-time' }) registeredAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class SyncSummaryDto {
  @ApiProperty() rows!: number;
  @ApiProperty() valid!: number;
  @ApiProperty() invalid!: number;
  @ApiProperty() registered!: number;
  @ApiProperty() renamed!: number;
  @ApiProperty() detailsChanged!: number;
  @ApiProperty() revoked!: number;
  @ApiProperty() reinstated!: number;
  @ApiProperty() unchanged!: number;
}

export class SyncChangeDto {
  @ApiProperty() code!: string;
  @ApiProperty({ enum: ['registered', 'renamed', 'details-changed', 'revoked', 'reinstated'] }) change!: string;
  @ApiProperty() name!: string;
  @ApiPropertyOptional({ description: '原名称（更名时）' }) from?: string;
}

export class SyncAccountDto {
  @ApiProperty() institutionCode!: string;
  @ApiProperty() username!: string;
  @ApiProperty() role!: string;
  @ApiProperty({ description: '初始密码，只返回这一次，请安全转交' }) initialPassword!: string;
}

export class SyncResultDto {
  @ApiProperty() batchId!: string;
  @ApiProperty({ type: SyncSummaryDto }) summary!: SyncSummaryDto;
  @ApiProperty({ type: [SyncChangeDto] }) changes!: SyncChangeDto[];
  @ApiProperty({ type: [FieldErrorDto], description: '有错误的行（行号与列）' }) errors!: FieldErrorDto[];
  @ApiProperty({ type: [SyncAccountDto], description: '为新机构创建的账号' }) accounts!: SyncAccountDto[];
}

export class FilingViewDto {
  @ApiProperty({ description: '机构标识码' }) id!: string;
  @ApiProperty({ type: String, nullable: true, description: '幼儿园名称' }) institutionName!: string | null;
  @ApiProperty({ enum: ['submitted', 'approved', 'rejected'] }) status!: string;
  @ApiProperty() code!: string;
  @ApiProperty() divisionCode!: string;
  @ApiProperty({ description: '最新版本号（审核时提交）' }) version!: number;
  @ApiProperty({ format: 'date-time' }) submittedAt!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: '最新填报内容：basic、buildings、conditions' }) latest!: Record<string, unknown>;
  @ApiProperty({ type: 'object', nullable: true, additionalProperties: true, description: '最近审核通过的版本及其内容' }) approved!: Record<string, unknown> | null;
  @ApiProperty({ type: String, nullable: true }) rejectReason!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) decidedAt!: string | null;
}

export class DivisionDto {
  @ApiProperty({ example: '410102' }) code!: string;
  @ApiProperty({ example: '中原区' }) name!: string;
  @ApiProperty({ enum: ['province', 'prefecture', 'county'] }) level!: string;
  @ApiProperty({ type: String, nullable: true }) parent!: string | null;
}

export class DivisionListDto {
  @ApiProperty({ type: [DivisionDto] }) items!: DivisionDto[];
}

export class DivisionPathItemDto {
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
  @ApiProperty() level!: string;
}

export class DivisionDetailDto extends DivisionDto {
  @ApiProperty({ type: [DivisionPathItemDto], description: '从省到本级' }) path!: DivisionPathItemDto[];
  @ApiProperty({ description: '下级区划数' }) children!: number;
}

export class UnlicensedItemDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() address!: string;
  @ApiProperty() children!: number;
  @ApiProperty() staff!: number;
  @ApiProperty({ enum: ['operating', 'rectifying', 'closed'] }) status!: string;
  @ApiProperty() divisionCode!: string;
}

export class UnlicensedBucketDto {
  @ApiProperty() institutions!: number;
  @ApiProperty() children!: number;
  @ApiProperty() staff!: number;
}

export class UnlicensedSummaryDto {
  @ApiProperty({ description: '在办和整改中的机构数' }) institutions!: number;
  @ApiProperty() children!: number;
  @ApiProperty() staff!: number;
  @ApiProperty({ type: 'object', additionalProperties: { $ref: '#/components/schemas/UnlicensedBucketDto' }, description: '按状态' }) byStatus!: Record<string, UnlicensedBucketDto>;
}

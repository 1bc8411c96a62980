import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min, ValidateBy, type ValidationOptions } from 'class-validator';
import { NestedObject, NestedObjects } from '../../shared/http/dto-decorators.js';
import { HANDLINGS } from '../domain/declaration-kind.decider.js';
import { FEN_PATTERN } from '../domain/fen.js';

const FEN = new RegExp(FEN_PATTERN);
const FEN_DOC = '金额，单位为分（整数，无小数）：字符串 "123456" 或非负整数 123456，均表示 1234.56 元；答复一律为字符串';

/** an amount in fen: a digit string or a non-negative safe integer, never a fraction */
function IsFen(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy({
    name: 'isFen',
    validator: {
      validate: (value: unknown) => (typeof value === 'string' && FEN.test(value)) || (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0),
      defaultMessage: () => '金额以“分”为单位填写非负整数（如 123456 表示 1234.56 元），不能有小数点',
    },
  }, options);
}

const fen = () => ApiProperty({ oneOf: [{ type: 'string', pattern: FEN_PATTERN }, { type: 'integer', minimum: 0 }], example: '123456', description: FEN_DOC });

export class KindItemDto {
  @ApiProperty({ example: 'newPrincipal', description: '代码：小写字母开头，字母和数字（上传附件时即表单字段名）' }) @IsString({ message: '请填写代码' }) @Matches(/^[a-z][a-zA-Z0-9]{0,29}$/, { message: '代码应以小写字母开头，由字母和数字组成（最多 30 位）' }) key!: string;
  @ApiProperty({ example: '新园长' }) @IsString({ message: '请填写名称' }) @Length(1, 30, { message: '名称应为 1-30 个字' }) label!: string;
  @ApiProperty({ example: true }) @IsBoolean({ message: '是否必填应为 true 或 false' }) required!: boolean;
}

export class DefineKindDto {
  @ApiProperty({ example: '园长变更' }) @IsString({ message: '请填写异动类型名称' }) @Length(1, 30, { message: '异动类型名称应为 1-30 个字' }) name!: string;
  @ApiProperty({ enum: HANDLINGS, description: 'review: 县级审核（通过/驳回）；acknowledge: 只需阅知' }) @IsIn([...HANDLINGS], { message: '处理方式应为 review（审核）或 acknowledge（阅知）' }) handling!: (typeof HANDLINGS)[number];
  @ApiProperty({ type: [KindItemDto], description: '申报须填写的项' }) @NestedObjects(() => KindItemDto, '填写项', 20) fields!: KindItemDto[];
  @ApiProperty({ type: [KindItemDto], description: '申报须上传的附件（PDF、JPEG 或 PNG）' }) @NestedObjects(() => KindItemDto, '附件项', 20) attachments!: KindItemDto[];
}

export class DelegationDto {
  @ApiProperty({ example: '410102', description: '本省的县（区）代码' }) @Matches(/^[0-9]{6}$/, { message: '县（区）代码应为 6 位数字' }) countyCode!: string;
  @ApiProperty({ description: 'true: 授权该县（区）设置本县的异动类型；false: 收回授权' }) @IsBoolean({ message: 'delegated 应为 true 或 false' }) delegated!: boolean;
}

export class OpinionDto {
  @ApiPropertyOptional({ example: '同意', description: '意见（可不填，最多 500 字）' }) @IsOptional() @IsString({ message: '意见应为文字' }) @Length(0, 500, { message: '意见最多 500 字' }) opinion?: string;
}

export class RejectDto {
  @ApiProperty({ example: '任命文件缺少主管部门盖章，请补充后重新提交' }) @IsString({ message: '请填写驳回原因' }) @Length(2, 500, { message: '驳回原因应为 2-500 字' }) reason!: string;
}

export class WithdrawDto {
  @ApiPropertyOptional({ example: '填写有误，撤回重报' }) @IsOptional() @IsString({ message: '原因应为文字' }) @Length(0, 500, { message: '原因最多 500 字' }) reason?: string;
}

export class FundsDto {
  @fen() @IsFen() central!: string | number;
  @fen() @IsFen() provincial!: string | number;
  @fen() @IsFen() local!: string | number;
}

export class ReportProjectDto {
  @ApiProperty({ type: FundsDto, description: '资金来源：中央、省级、地方（分）' }) @NestedObject(() => FundsDto, '资金来源') funds!: FundsDto;
  @fen() @IsFen() allocated!: string | number;
  @fen() @IsFen() spent!: string | number;
  @ApiProperty({ example: 35, description: '进度（百分比，0-100 的整数）' }) @IsInt({ message: '进度应为 0-100 的整数' }) @Min(0, { message: '进度应为 0-100 的整数' }) @Max(100, { message: '进度应为 0-100 的整数' }) progress!: number;
  @ApiPropertyOptional({ example: '主体结构完工', description: '备注（最多 500 字）' }) @IsOptional() @IsString({ message: '备注应为文字' }) @Length(0, 500, { message: '备注最多 500 字' }) note?: string;
  @ApiPropertyOptional({ example: '2026-10', description: '所报月份（默认本月，北京时间；不能是未来月份）' }) @IsOptional() @Matches(/^\d{4}-(0[1-9]|1[0-2])$/, { message: '月份应写作“2026-10”' }) month?: string;
}

export class EnterProjectDto extends ReportProjectDto {
  @ApiProperty({ example: '中原区第一公办幼儿园新建项目' }) @IsString({ message: '请填写项目名称' }) @Length(1, 60, { message: '项目名称应为 1-60 个字' }) name!: string;
  @ApiProperty({ example: '新建幼儿园', description: '项目类别' }) @IsString({ message: '请填写项目类别' }) @Length(1, 30, { message: '项目类别应为 1-30 个字' }) kind!: string;
  @ApiProperty({ example: 2026, description: '项目年度' }) @IsInt({ message: '年度应为年份' }) @Min(2000, { message: '年度应为 2000-2100' }) @Max(2100, { message: '年度应为 2000-2100' }) year!: number;
}

export class CentralAwardDto {
  @ApiProperty({ example: '410000', description: '省级区划代码（省级部署只能填本省）' }) @Matches(/^[0-9]{6}$/, { message: '省级区划代码应为 6 位数字' }) provinceCode!: string;
  @ApiProperty({ example: 2026 }) @IsInt({ message: '年度应为年份' }) @Min(2000, { message: '年度应为 2000-2100' }) @Max(2100, { message: '年度应为 2000-2100' }) year!: number;
  @fen() @IsFen() amount!: string | number;
}

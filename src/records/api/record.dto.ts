import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsOptional, IsString, IsUUID, Length, Matches, MaxLength, ValidateIf } from 'class-validator';
import { NestedObjects } from '../../shared/http/dto-decorators.js';
import { type ChildFields, GUARDIAN_PHONE } from '../domain/child.js';

/** the domain's phone rule, checked here too so the field error names the request path */
const PHONE = GUARDIAN_PHONE;

const text = (max: number, label: string) => MaxLength(max, { message: `${label}不能超过 ${max} 字` });

export class GuardianDto {
  @ApiProperty({ example: '王大明', description: '监护人姓名' }) @IsString({ message: '请填写监护人姓名' }) @text(50, '监护人姓名') name!: string;
  @ApiProperty({ example: '父亲', description: '与幼儿关系' }) @IsString({ message: '请填写监护人与幼儿的关系' }) @text(20, '与幼儿关系') relation!: string;
  @ApiPropertyOptional({ type: String, nullable: true, example: '1' }) @IsOptional() @IsString() @text(2, '证件类型') idType?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, example: '11010519491231002X' }) @IsOptional() @IsString() @text(30, '证件号码') idNumber?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, example: '13800000000' }) @IsOptional() @IsString() @text(30, '联系电话') @Matches(PHONE, { message: '监护人联系电话应为手机号（11 位）或固定电话（区号-号码），例如 13800000000 或 0371-66000000' }) phone?: string | null;
}

/** The key fields (关键信息). Codes or labels are accepted ("1" or "男"); the record stores codes. */
export class KeyInformationDto {
  @ApiProperty({ example: '王小明' }) @IsString({ message: '请填写姓名' }) @text(50, '姓名') name!: string;
  @ApiProperty({ example: '1', description: '性别：1 男 / 2 女' }) @IsString({ message: '请填写性别（1 男 / 2 女）' }) @text(10, '性别') gender!: string;
  @ApiProperty({ example: '2022-03-15' }) @IsString({ message: '请填写出生日期（YYYY-MM-DD）' }) @text(10, '出生日期') birthDate!: string;
  @ApiProperty({ example: '1', description: '身份证件类型（JY/T 1001：1 居民身份证 … Z 其他）' }) @IsString({ message: '请填写身份证件类型' }) @text(10, '证件类型') idType!: string;
  @ApiPropertyOptional({ type: String, nullable: true, example: '410102202203150018', description: '证件号码；只有证件类型为 Z（其他）时可以不填' })
  @IsOptional() @IsString() @text(40, '证件号码') idNumber?: string | null;
}

export class ChildDto extends KeyInformationDto {
  @ApiProperty({ example: 'CHN', description: '国籍/地区（GB/T 2659，ISO 3166-1 三字母码）' }) @IsString({ message: '请填写国籍/地区（中国为 CHN）' }) @text(20, '国籍/地区') nationality!: string;
  @ApiPropertyOptional({ type: String, nullable: true, example: '01' }) @IsOptional() @IsString() @text(20, '民族') ethnicity?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, example: '00' }) @IsOptional() @IsString() @text(20, '港澳台侨外') hkMacaoTaiwan?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, example: '410102', description: '出生所在地（6 位或 12 位区划代码）' }) @IsOptional() @IsString() @text(12, '出生所在地') birthplaceCode?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, example: '410102' }) @IsOptional() @IsString() @text(12, '户口所在地') householdCode?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) @IsOptional() @IsString() @text(20, '户口性质') householdType?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) @IsOptional() @IsString() @text(200, '现住址') address?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) @IsOptional() @IsString() @text(20, '健康状况') healthStatus?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) @IsOptional() @IsString() @text(20, '残疾幼儿类别') disabilityType?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) @IsOptional() @IsString() @text(20, '血型') bloodType?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) @IsOptional() @IsString() @text(10, '是否独生子女') onlyChild?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) @IsOptional() @IsString() @text(20, '是否留守儿童') leftBehind?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) @IsOptional() @IsString() @text(10, '是否进城务工人员子女') migrantWorkerChild?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) @IsOptional() @IsString() @text(10, '是否孤儿') orphan?: string | null;
  @ApiPropertyOptional({ type: [GuardianDto] }) @NestedObjects(() => GuardianDto, '监护人', 4, { optional: true }) guardians?: GuardianDto[];
  @ApiPropertyOptional({ description: '确认年龄：幼儿超龄或未满 2 周岁时，核对无误后填 true' }) @IsOptional() @IsBoolean() confirmOverAge?: boolean;
}

export class KeyChangeDto extends KeyInformationDto {
  @ApiProperty({ example: '户口簿姓名更正' }) @IsString() @Length(2, 500, { message: '请填写变更原因（2-500 字）' }) reason!: string;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() confirmOverAge?: boolean;
}

export class SubmitDto {
  @ApiPropertyOptional({ type: [String], description: '要提交的记录编号' })
  @ValidateIf((o: SubmitDto) => o.all !== true)
  @IsArray({ message: '请选择要提交的记录（recordIds），或用 all: true 提交全部已保存的记录' })
  @ArrayMinSize(1, { message: '请至少选择一条记录' })
  @ArrayMaxSize(5000, { message: '一次最多选择 5000 条，全部提交请用 all: true' })
  @IsUUID('all', { each: true, message: '记录编号格式不正确' })
  recordIds?: string[];
  @ApiPropertyOptional({ description: '全部提交：true 提交本园全部已保存的记录' }) @IsOptional() @IsBoolean() all?: boolean;
}

export class RecordRejectDto {
  @ApiProperty({ example: '出生日期与户口簿不符' }) @IsString() @Length(2, 500, { message: '请填写驳回原因（2-500 字）' }) reason!: string;
}

export class DeleteDto {
  @ApiPropertyOptional({ example: '重复录入' }) @IsOptional() @IsString() @Length(2, 500, { message: '删除原因 2-500 字' }) reason?: string;
}

export function toChild(dto: ChildDto): ChildFields {
  const opt = (v: string | null | undefined) => (v === undefined || v === null ? null : v);
  return {
    name: dto.name, gender: dto.gender, birthDate: dto.birthDate, idType: dto.idType, idNumber: opt(dto.idNumber), nationality: dto.nationality,
    ethnicity: opt(dto.ethnicity), hkMacaoTaiwan: opt(dto.hkMacaoTaiwan), birthplaceCode: opt(dto.birthplaceCode), householdCode: opt(dto.householdCode),
    householdType: opt(dto.householdType), address: opt(dto.address), healthStatus: opt(dto.healthStatus), disabilityType: opt(dto.disabilityType),
    bloodType: opt(dto.bloodType), onlyChild: opt(dto.onlyChild), leftBehind: opt(dto.leftBehind), migrantWorkerChild: opt(dto.migrantWorkerChild),
    orphan: opt(dto.orphan),
    guardians: (dto.guardians ?? []).map((g) => ({ name: g.name, relation: g.relation, idType: opt(g.idType), idNumber: opt(g.idNumber), phone: opt(g.phone) })),
  };
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Length, ValidateIf } from 'class-validator';
import { CommandAcceptedDto } from '../../shared/http/openapi.js';

const STATUS_ENUM = ['matched', 'to-confirm', 'not-found', 'none-match', 'supplemented', 'deleted'];
const present = ValidateIf((_: object, value: unknown) => value !== undefined);

/** A correction of an entry: the five key fields as on the list (the same tolerant parsing: labels, text dates, full-width digits). */
export class CorrectEntryDto {
  @ApiProperty({ example: '王小明', description: '姓名' }) @IsString({ message: '请填写姓名' }) @Length(0, 50, { message: '姓名最多 50 字' }) name!: string;
  @ApiProperty({ example: '1', description: '性别：1-男 或 2-女（也可写“男”“女”）' }) @IsString({ message: '请填写性别' }) @Length(0, 20, { message: '性别填写有误' }) gender!: string;
  @ApiProperty({ example: '2021-03-15', description: '出生日期（2021-03-15、2021/3/15、2021年3月15日 等）' }) @IsString({ message: '请填写出生日期' }) @Length(0, 30, { message: '出生日期填写有误' }) birthDate!: string;
  @ApiProperty({ example: '1', description: '身份证件类型（代码或名称，如 1 或 居民身份证）' }) @IsString({ message: '请填写身份证件类型' }) @Length(0, 30, { message: '身份证件类型填写有误' }) idType!: string;
  @ApiPropertyOptional({ type: String, nullable: true, example: '410102202103150014', description: '身份证件号码（证件类型为“其他”时可不填）' })
  @IsOptional() @IsString({ message: '身份证件号码应为文字' }) @Length(0, 40, { message: '身份证件号码最多 30 位' }) idNumber?: string | null;
}

export class DeleteEntryDto {
  @ApiPropertyOptional({ example: '该生已转至外区就读', description: '删除原因（可不填）' }) @IsOptional() @IsString({ message: '删除原因应为文字' }) @Length(0, 500, { message: '删除原因最多 500 字' }) reason?: string;
}

export class ConfirmEntryDto {
  @ApiProperty({ type: String, nullable: true, description: '选定的候选学籍编号；null 表示候选学籍均不匹配' })
  @ValidateIf((_: object, v: unknown) => v !== null) @IsUUID('all', { message: '请选择一个候选学籍，或传 null 表示均不匹配' }) recordId!: string | null;
}

/** The 17 fields of the supplement: the 12 editable ones may be changed; the 5 key fields, if sent, must be the record's own. */
export class SupplementFieldsDto {
  @ApiPropertyOptional({ type: String, nullable: true, description: '姓名（关键信息，不可修改）' }) @present @IsOptional() @IsString() name?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: '性别代码（关键信息，不可修改）' }) @present @IsOptional() @IsString() gender?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: '出生日期（关键信息，不可修改）' }) @present @IsOptional() @IsString() birthDate?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, example: '410102', description: '出生地（6 位或 12 位区划代码）' }) @IsOptional() @IsString({ message: '出生地应为区划代码' }) @Length(0, 12) birthplaceCode?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, example: '01', description: '民族代码' }) @IsOptional() @IsString() @Length(0, 20) ethnicity?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, example: 'CHN', description: '国籍/地区代码' }) @IsOptional() @IsString() @Length(0, 20) nationality?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: '身份证件类型（关键信息，不可修改）' }) @present @IsOptional() @IsString() idType?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: '身份证件号码（关键信息，不可修改）' }) @present @IsOptional() @IsString() idNumber?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, example: '00', description: '港澳台侨外代码' }) @IsOptional() @IsString() @Length(0, 20) hkMacaoTaiwan?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, example: '2', description: '户口性质代码' }) @IsOptional() @IsString() @Length(0, 20) householdType?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, example: '410102', description: '户口所在地（区划代码）' }) @IsOptional() @IsString() @Length(0, 12) householdCode?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, example: '郑州市中原区桐柏路 8 号', description: '现住址（最多 200 字）' }) @IsOptional() @IsString() @Length(0, 200, { message: '现住址最多 200 字' }) address?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: '残疾人类型代码（非残疾不填）' }) @IsOptional() @IsString() @Length(0, 20) disabilityType?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, example: '1', description: '是否独生子女（1 是，0 否）' }) @IsOptional() @IsString() @Length(0, 10) onlyChild?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, example: '0', description: '是否留守儿童（代码）' }) @IsOptional() @IsString() @Length(0, 10) leftBehind?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, example: '0', description: '是否进城务工人员随迁子女（1 是，0 否）' }) @IsOptional() @IsString() @Length(0, 10) migrantWorkerChild?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, example: '0', description: '是否孤儿（1 是，0 否）' }) @IsOptional() @IsString() @Length(0, 10) orphan?: string | null;
}

/** The 17 fields as the form shows them. */
export class SupplementValuesDto {
  @ApiProperty({ type: String, nullable: true }) name!: string | null;
  @ApiProperty({ type: String, nullable: true }) gender!: string | null;
  @ApiProperty({ type: String, nullable: true }) birthDate!: string | null;
  @ApiProperty({ type: String, nullable: true }) birthplaceCode!: string | null;
  @ApiProperty({ type: String, nullable: true }) ethnicity!: string | null;
  @ApiProperty({ type: String, nullable: true }) nationality!: string | null;
  @ApiProperty({ type: String, nullable: true }) idType!: string | null;
  @ApiProperty({ type: String, nullable: true }) idNumber!: string | null;
  @ApiProperty({ type: String, nullable: true }) hkMacaoTaiwan!: string | null;
  @ApiProperty({ type: String, nullable: true }) householdType!: string | null;
  @ApiProperty({ type: String, nullable: true }) householdCode!: string | null;
  @ApiProperty({ type: String, nullable: true }) address!: string | null;
  @ApiProperty({ type: String, nullable: true }) disabilityType!: string | null;
  @ApiProperty({ type: String, nullable: true }) onlyChild!: string | null;
  @ApiProperty({ type: String, nullable: true }) leftBehind!: string | null;
  @ApiProperty({ type: String, nullable: true }) migrantWorkerChild!: string | null;
  @ApiProperty({ type: String, nullable: true }) orphan!: string | null;
}

export class KindergartenDto {
  @ApiProperty({ example: '1141010001' }) code!: string;
  @ApiProperty({ type: String, nullable: true }) name!: string | null;
}

export class SupplementFormDto {
  @ApiProperty() entryId!: string;
  @ApiProperty() recordId!: string;
  @ApiProperty({ type: String, nullable: true, description: '幼儿学籍号' }) recordNumber!: string | null;
  @ApiProperty({ type: KindergartenDto, description: '学籍所在幼儿园' }) kindergarten!: KindergartenDto;
  @ApiProperty({ type: SupplementValuesDto, description: '17 项学前学籍信息（预填）' }) fields!: SupplementValuesDto;
  @ApiProperty({ type: [String], description: '锁定的 5 项关键信息' }) locked!: string[];
  @ApiProperty({ type: [String], description: '可修改的 12 项' }) editable!: string[];
}

export class ImportIssueDto {
  @ApiProperty({ example: 3 }) row!: number;
  @ApiProperty({ example: '身份证件号码' }) column!: string;
  @ApiProperty({ example: '410102202103150015' }) value!: string;
  @ApiProperty({ example: 'id-number-check-digit' }) code!: string;
  @ApiProperty({ example: '身份证号码校验位错误：最后一位应为 4，请核对号码是否抄错' }) reason!: string;
}

export class MatchCountsDto {
  @ApiProperty() matched!: number;
  @ApiProperty({ name: 'to-confirm' }) 'to-confirm'!: number;
  @ApiProperty({ name: 'not-found' }) 'not-found'!: number;
}

export class PupilListImportDto {
  @ApiProperty({ description: '名单编号' }) listId!: string;
  @ApiProperty({ description: '数据行数' }) rows!: number;
  @ApiProperty({ description: '导入的学生数' }) imported!: number;
  @ApiProperty({ description: '有错误未导入的行数' }) failed!: number;
  @ApiProperty({ type: MatchCountsDto, description: '匹配结果' }) counts!: MatchCountsDto;
  @ApiProperty({ type: [ImportIssueDto], description: '导入数据校验日志' }) issues!: ImportIssueDto[];
  @ApiProperty() revision!: number;
  @ApiProperty() position!: number;
}

export class StatusCountsDto {
  @ApiProperty() matched!: number;
  @ApiProperty({ name: 'to-confirm' }) 'to-confirm'!: number;
  @ApiProperty({ name: 'not-found' }) 'not-found'!: number;
  @ApiProperty({ name: 'none-match' }) 'none-match'!: number;
  @ApiProperty() supplemented!: number;
  @ApiPropertyOptional() deleted?: number;
}

export class PupilListDto {
  @ApiProperty() id!: string;
  @ApiProperty() schoolCode!: string;
  @ApiProperty() divisionCode!: string;
  @ApiProperty({ type: String, nullable: true }) fileName!: string | null;
  @ApiProperty() rows!: number;
  @ApiProperty() failed!: number;
  @ApiProperty({ description: '导入的学生数' }) entries!: number;
  @ApiProperty({ type: StatusCountsDto }) counts!: StatusCountsDto;
  @ApiPropertyOptional({ type: [ImportIssueDto], description: '导入数据校验日志（单个名单时返回）' }) issues?: ImportIssueDto[];
  @ApiProperty() importedAt!: string;
}

export class EntryLineDto {
  @ApiProperty() entryId!: string;
  @ApiProperty() listId!: string;
  @ApiProperty({ description: '名单中的行号' }) row!: number;
  @ApiProperty() name!: string;
  @ApiProperty() gender!: string;
  @ApiProperty() birthDate!: string;
  @ApiProperty() idType!: string;
  @ApiProperty({ type: String, nullable: true, description: '身份证件号码（列表中脱敏）' }) idNumber!: string | null;
  @ApiProperty({ enum: STATUS_ENUM }) status!: string;
  @ApiProperty({ type: String, nullable: true }) recordId!: string | null;
  @ApiProperty({ description: '候选学籍数' }) candidates!: number;
  @ApiProperty() updatedAt!: string;
}

export class CandidateDto {
  @ApiProperty() recordId!: string;
  @ApiProperty() name!: string;
  @ApiProperty() gender!: string;
  @ApiProperty() birthDate!: string;
  @ApiProperty() idType!: string;
  // no idNumber: with the list's full birth date known, no mask of it leaves 10,000 candidates (ADR 22)
  @ApiProperty({ description: '该学籍的身份证件号码与名单上填写的是否相同（候选学籍的号码不显示：名单上的出生日期已知，脱敏也能被还原）' }) sameIdNumber!: boolean;
  @ApiProperty({ type: String, nullable: true, description: '幼儿学籍号：J 号显示；G 号由身份证件号码生成，不显示（null）' }) recordNumber!: string | null;
  @ApiProperty() status!: string;
  @ApiProperty() kindergartenCode!: string;
  @ApiProperty({ type: String, nullable: true }) kindergartenName!: string | null;
}

export class EntryDto {
  @ApiProperty() entryId!: string;
  @ApiProperty() listId!: string;
  @ApiProperty() row!: number;
  @ApiProperty() name!: string;
  @ApiProperty() gender!: string;
  @ApiProperty() birthDate!: string;
  @ApiProperty() idType!: string;
  @ApiProperty({ type: String, nullable: true }) idNumber!: string | null;
  @ApiProperty({ enum: STATUS_ENUM }) status!: string;
  @ApiProperty({ enum: ['matched', 'to-confirm', 'not-found'], description: '最近一次匹配的结果' }) outcome!: string;
  @ApiProperty({ type: String, nullable: true, enum: ['id-and-key', 'id-only', 'name-gender-birth', null], description: '候选依据' }) basis!: string | null;
  @ApiProperty({ type: [CandidateDto], description: '候选学籍（脱敏，含幼儿园和学籍号）' }) candidates!: CandidateDto[];
  @ApiProperty({ type: CandidateDto, nullable: true, description: '已匹配的学籍' }) record!: CandidateDto | null;
  @ApiPropertyOptional({ type: SupplementValuesDto, description: '补录后本校保存的 17 项信息' }) supplement?: SupplementValuesDto;
  @ApiProperty() updatedAt!: string;
}

export class SchoolQueueDto {
  @ApiProperty() schoolCode!: string;
  @ApiProperty({ type: StatusCountsDto }) counts!: StatusCountsDto;
}

export class SchoolCountDto {
  @ApiProperty() schoolCode!: string;
  @ApiProperty({ type: String, nullable: true }) name!: string | null;
  @ApiProperty({ description: '接续到该校的幼儿数' }) pupils!: number;
}

export class ProgressTotalDto {
  @ApiProperty({ description: '各校新生名单中的学生数' }) pupils!: number;
  @ApiProperty({ type: StatusCountsDto, description: '按状态' }) counts!: StatusCountsDto;
  @ApiProperty({ description: '本辖区幼儿园本届毕业生人数（上一学年 9 月 1 日至本月以“毕业”离园的幼儿，来自实时汇总）' }) graduates!: number;
  @ApiProperty({ description: '本辖区幼儿园的学籍已接续到小学的人数' }) handedOver!: number;
  @ApiProperty({ type: [SchoolCountDto], description: '接续到哪些小学' }) toSchools!: SchoolCountDto[];
}

export class CountyProgressDto extends ProgressTotalDto {
  @ApiProperty({ example: '410102' }) divisionCode!: string;
  @ApiProperty({ example: '河南省郑州市中原区' }) name!: string;
}

export class ProgressDto {
  @ApiProperty({ type: ProgressTotalDto }) total!: ProgressTotalDto;
  @ApiProperty({ type: [CountyProgressDto] }) counties!: CountyProgressDto[];
}

export class SupplementAcceptedDto extends CommandAcceptedDto {
  @ApiProperty({ description: '学籍接续事件的日志位置' }) handedOverAt!: number;
}

export class NotFoundPupilDto {
  @ApiProperty() entryId!: string;
  @ApiProperty({ description: '列出该生的小学' }) schoolCode!: string;
  @ApiProperty() divisionCode!: string;
  @ApiProperty() name!: string;
  @ApiProperty() gender!: string;
  @ApiProperty() birthDate!: string;
  @ApiProperty() idType!: string;
  @ApiProperty({ type: String, nullable: true, description: '按客户端数据档案：personal 完整，masked 脱敏' }) idNumber!: string | null;
  @ApiProperty() listedAt!: string;
  @ApiProperty() updatedAt!: string;
}


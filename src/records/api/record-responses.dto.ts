import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ActorDto, CommandAcceptedDto } from '../../shared/http/openapi.js';
import { ChildDto } from './record.dto.js';

const STATUSES = ['saved', 'submitted', 'dedupe-passed', 'problem', 'rejected', 'numbered', 'void'];
const nullableString = (description: string, extra: Record<string, unknown> = {}) => ApiProperty({ type: String, nullable: true, description, ...extra });

/** One line of a record list (the records read model; ID numbers masked unless the caller may see them). */
export class RecordListItemDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: '1141010001', description: '机构标识码' }) institutionCode!: string;
  @nullableString('幼儿园名称', { example: '中原区实验幼儿园' }) institutionName!: string | null;
  @ApiProperty({ example: '410102' }) divisionCode!: string;
  @ApiProperty({ enum: STATUSES }) status!: string;
  @nullableString('幼儿学籍号（审核通过后生成）') recordNumber!: string | null;
  @ApiProperty() name!: string;
  @ApiProperty({ description: '1 男 / 2 女' }) gender!: string;
  @ApiProperty({ example: '2022-03-15', description: '出生日期 YYYY-MM-DD；无权查看证件号码的用户只见年月 YYYY-MM（ADR 22）' }) birthDate!: string;
  @ApiProperty() idType!: string;
  @nullableString('证件号码（可能已脱敏）') idNumber!: string | null;
  @nullableString('导入批次') importBatchId!: string | null;
  @ApiProperty({ type: Number, nullable: true, description: '导入文件中的行号' }) importRow!: number | null;
  @nullableString('所在班级') classId!: string | null;
  @nullableString('所在重复案件') caseId!: string | null;
  @nullableString('驳回原因') rejectReason!: string | null;
  @ApiProperty({ description: '已确认年龄（超龄或低龄）' }) overAgeConfirmed!: boolean;
  @ApiProperty({ format: 'date-time' }) savedAt!: string;
  @nullableString('提交时间', { format: 'date-time' }) submittedAt!: string | null;
  @nullableString('审核通过时间', { format: 'date-time' }) approvedAt!: string | null;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class ImportRefDto {
  @ApiProperty() batchId!: string;
  @ApiProperty() row!: number;
}

/** The primary school a record was handed over to (学籍接续, issue 16). */
export class HandedOverDto {
  @ApiProperty({ example: '2141010101', description: '小学的学校标识码' }) schoolCode!: string;
  @ApiProperty({ example: '郑州市中原区建设路小学' }) schoolName!: string;
  @ApiProperty({ format: 'date-time', description: '接续时间' }) at!: string;
}

/** A record from its event stream (GET /records/{id}). */
export class RecordViewDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: [...STATUSES, 'deleted', 'erased'] }) status!: string;
  @ApiProperty() institutionCode!: string;
  @nullableString('幼儿园名称') institutionName!: string | null;
  @ApiProperty() divisionCode!: string;
  @nullableString('幼儿学籍号') recordNumber!: string | null;
  @nullableString('所在重复案件') caseId!: string | null;
  @ApiProperty({ type: ChildDto, description: '幼儿信息（可能已脱敏）' }) child!: ChildDto;
  @ApiProperty({ type: ImportRefDto, nullable: true }) importRef!: ImportRefDto | null;
  @nullableString('驳回原因（已驳回时）') rejectReason!: string | null;
  @ApiProperty({ type: HandedOverDto, nullable: true, description: '学籍已接续到的小学（未接续时为 null）' }) handedOver!: HandedOverDto | null;
  @ApiProperty({ description: '事件流版本号（亦在 ETag 中）' }) revision!: number;
  @nullableString('查询的时间点', { format: 'date-time' }) asOf!: string | null;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

/** One line of a history (a record's, a case's). */
export class HistoryEntryDto {
  @ApiProperty() revision!: number;
  @ApiProperty() position!: number;
  @ApiProperty({ example: 'RecordApproved' }) type!: string;
  @ApiProperty({ example: '审核通过' }) label!: string;
  @ApiProperty({ format: 'date-time' }) occurredAt!: string;
  @ApiProperty({ type: ActorDto }) actor!: ActorDto;
  @nullableString('原因') reason!: string | null;
  @ApiProperty() correlationId!: string;
  @nullableString('起因事件') causationId!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, description: '事件内容（可能已脱敏）' }) data!: Record<string, unknown>;
}

export class RecordHistoryDto {
  @ApiProperty({ format: 'uuid' }) recordId!: string;
  @ApiProperty({ type: [HistoryEntryDto] }) items!: HistoryEntryDto[];
}

export class RecordCommandDto extends CommandAcceptedDto {
  @ApiProperty({ enum: [...STATUSES, 'deleted', 'erased'], description: '记录现在的状态' }) status!: string;
}

export class RecordEditedDto extends RecordCommandDto {
  @nullableString('问题学籍更正关键信息后立即重新查重的结果：dedupe-passed / problem / moved-on') deduplication!: string | null;
}

export class RecordApprovedDto extends RecordCommandDto {
  @nullableString('生成的幼儿学籍号') recordNumber!: string | null;
}

export class SubmissionErrorDto {
  @ApiProperty() code!: string;
  @ApiProperty() message!: string;
}

export class SubmissionResultDto {
  @ApiProperty({ format: 'uuid' }) recordId!: string;
  @ApiProperty({ enum: ['dedupe-passed', 'problem', 'moved-on', 'refused'] }) outcome!: string;
  @ApiPropertyOptional({ type: SubmissionErrorDto }) error?: SubmissionErrorDto;
}

export class SubmissionSummaryDto {
  @ApiProperty() requested!: number;
  @ApiProperty() submitted!: number;
  @ApiProperty({ description: '查重通过，进入审核队列' }) passed!: number;
  @ApiProperty({ description: '查重发现重复，成为问题学籍' }) problem!: number;
  @ApiProperty() refused!: number;
  @ApiProperty({ type: [SubmissionResultDto] }) results!: SubmissionResultDto[];
  @ApiProperty({ description: '最后一次写入后的日志位置' }) position!: number;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CommandAcceptedDto } from '../../shared/http/openapi.js';
import { HistoryEntryDto } from './record-responses.dto.js';

const nullableString = (description: string) => ApiProperty({ type: String, nullable: true, description });

/** An entry of a case in a queue (waiting, evidence-to-review, unhandled). */
export class CaseEntryItemDto {
  @ApiProperty({ description: '案件编号:记录编号' }) id!: string;
  @ApiProperty({ format: 'uuid' }) caseId!: string;
  @ApiProperty({ format: 'uuid' }) recordId!: string;
  @ApiProperty() institutionCode!: string;
  @nullableString('幼儿园名称') institutionName!: string | null;
  @ApiProperty() divisionCode!: string;
  @ApiProperty({ description: '幼儿姓名' }) name!: string;
  @ApiProperty({ example: 'unhandled' }) status!: string;
  @ApiProperty({ example: '未处理' }) statusLabel!: string;
  @nullableString('等待谁：institution / county-review / other-entries / arbitration') waitingFor!: string | null;
  @nullableString('等待事项的中文说明') waitingForLabel!: string | null;
  @nullableString('开始等待的时间') waitingSince!: string | null;
  @ApiPropertyOptional({ description: '已等待的小时数' }) waitedHours?: number;
  @ApiPropertyOptional({ description: '已等待的天数' }) waitedDays?: number;
  @ApiProperty({ description: '佐证文件数' }) evidenceFiles!: number;
  @nullableString('佐证说明') evidenceReason!: string | null;
  @nullableString('佐证审核意见') reviewReason!: string | null;
}

/** One entry of an arbitration as the arbitrator reads it. */
export class ArbitrationEntryDto {
  @ApiProperty({ format: 'uuid' }) recordId!: string;
  @ApiProperty() institutionCode!: string;
  @nullableString('幼儿园名称') institutionName!: string | null;
  @ApiProperty({ description: '幼儿姓名' }) name!: string;
  @ApiProperty() status!: string;
  @ApiProperty() statusLabel!: string;
  @ApiProperty({ format: 'date-time', description: '录入系统的时间' }) enteredAt!: string;
}

export class ArbitrationItemDto {
  @ApiProperty({ format: 'uuid' }) caseId!: string;
  @ApiProperty({ enum: ['county', 'prefecture', 'province'] }) level!: string;
  @ApiProperty() divisionCode!: string;
  @ApiProperty() status!: string;
  @ApiProperty({ type: [String], description: '候选记录编号' }) candidateRecordIds!: string[];
  @ApiProperty({ format: 'uuid', description: '系统建议保留的记录（先录入的）' }) proposedRecordId!: string;
  @ApiProperty({ type: [ArbitrationEntryDto], description: '案件的全部记录：幼儿园、姓名和状态' }) entries!: ArbitrationEntryDto[];
  @ApiProperty({ format: 'date-time' }) requestedAt!: string;
  @ApiPropertyOptional() waitedHours?: number;
  @ApiPropertyOptional() waitedDays?: number;
}

/** A case from its stream; entries carry the record, evidence, review and (for offices) histories. */
export class CaseViewDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['open', 'arbitration', 'resolved'] }) status!: string;
  @ApiProperty() statusLabel!: string;
  @ApiProperty({ format: 'date-time' }) openedAt!: string;
  @ApiProperty() revision!: number;
  @ApiProperty({ type: 'array', items: { type: 'object', additionalProperties: true }, description: '每条记录：幼儿园、记录、佐证、审核、等待时间' }) entries!: Record<string, unknown>[];
  @ApiProperty({ type: 'object', nullable: true, additionalProperties: true, description: '仲裁（如有）' }) arbitration!: Record<string, unknown> | null;
  @ApiProperty({ type: 'object', nullable: true, additionalProperties: true, description: '处理结果（如已处理完毕）' }) resolution!: Record<string, unknown> | null;
}

export class CaseHistoryDto {
  @ApiProperty({ format: 'uuid' }) caseId!: string;
  @ApiProperty({ type: [HistoryEntryDto] }) items!: HistoryEntryDto[];
}

export class CaseCommandDto extends CommandAcceptedDto {
  @ApiProperty() caseStatus!: string;
  @ApiProperty({ type: String, nullable: true, description: '该记录在案件中的状态' }) entryStatus!: string | null;
  @ApiProperty({ type: 'object', nullable: true, additionalProperties: true }) resolution!: Record<string, unknown> | null;
}

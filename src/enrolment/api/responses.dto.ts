import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** What every command answers (also as ETag and X-Log-Position headers). */
export class AcceptedDto {
  @ApiProperty() id!: string;
  @ApiProperty({ description: 'stream revision (ETag)' }) revision!: number;
  @ApiProperty({ description: 'log position to wait for (X-Min-Position)' }) position!: number;
  @ApiProperty({ type: [String] }) events!: string[];
}

export class ClassDto {
  @ApiProperty() id!: string;
  @ApiProperty() institutionCode!: string;
  @ApiProperty() divisionCode!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['托班', '小班', '中班', '大班', '混龄班'] }) grade!: string;
  @ApiProperty({ example: '2026-2027' }) schoolYear!: string;
  @ApiProperty({ type: [String] }) teachers!: string[];
  @ApiProperty({ nullable: true, type: String, description: 'a whole-class graduation in progress' }) graduating!: string | null;
  @ApiProperty() headCount!: number;
  @ApiProperty({ description: 'gender 1' }) boys!: number;
  @ApiProperty({ description: 'gender 2' }) girls!: number;
}

export class ClassListDto {
  @ApiProperty({ type: [ClassDto] }) items!: ClassDto[];
}

export class ChildRowDto {
  @ApiProperty() recordId!: string;
  @ApiProperty() name!: string;
  @ApiProperty() gender!: string;
  @ApiProperty({ description: '出生日期 YYYY-MM-DD；不负责该幼儿的用户只见年月 YYYY-MM（ADR 22）' }) birthDate!: string;
  @ApiProperty({ nullable: true, type: String, description: '证件号码；不负责该幼儿的用户只见前 6 位（ADR 22）' }) idNumber!: string | null;
  @ApiProperty({ nullable: true, type: String }) recordNumber!: string | null;
  @ApiProperty() status!: string;
  @ApiProperty({ nullable: true, type: String }) classId!: string | null;
  @ApiProperty({ nullable: true, enum: ['留班', '留园'] }) mark!: string | null;
}

export class RosterDto extends ClassDto {
  @ApiProperty({ type: [ChildRowDto] }) children!: ChildRowDto[];
}

export class ChildPageDto {
  @ApiProperty({ type: [ChildRowDto] }) items!: ChildRowDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class LeaveEntryDto {
  @ApiProperty({ enum: ['transfer-out', 'graduated', 'suspended', 'other', 'accident'] }) leaveType!: string;
  @ApiProperty() leaveDate!: string;
  @ApiProperty({ nullable: true, type: String }) classId!: string | null;
  @ApiProperty({ nullable: true, type: String }) reason!: string | null;
  @ApiProperty() enteredAt!: string;
}

export class LeaveRowDto extends ChildRowDto {
  @ApiProperty({ type: [LeaveEntryDto] }) leaves!: LeaveEntryDto[];
}

export class LeavePageDto {
  @ApiProperty({ type: [LeaveRowDto] }) items!: LeaveRowDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class PlacementResultDto {
  @ApiProperty() recordId!: string;
  @ApiProperty({ enum: ['placed', 'unchanged', 'refused'] }) outcome!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) fromClassId?: string | null;
  @ApiPropertyOptional() code?: string;
  @ApiPropertyOptional() message?: string;
}

export class PlacementSummaryDto {
  @ApiProperty() classId!: string;
  @ApiProperty() placed!: number;
  @ApiProperty() refused!: number;
  @ApiProperty({ type: [PlacementResultDto] }) results!: PlacementResultDto[];
  @ApiProperty() position!: number;
}

export class PromotionDto {
  @ApiProperty() classId!: string;
  @ApiProperty() targetClassId!: string;
  @ApiProperty() promoted!: number;
  @ApiProperty({ description: 'kept back (留班/留园): they stay, their marks used up' }) stayed!: number;
  @ApiProperty() position!: number;
}

export class GraduationDto extends AcceptedDto {
  @ApiProperty() graduationId!: string;
  @ApiProperty() graduated!: number;
  @ApiProperty({ description: 'marked 留园: they stay in the class' }) stayed!: number;
}

export class LeaveAcceptedDto extends AcceptedDto {
  @ApiProperty({ enum: ['left', 'cancelled'] }) status!: string;
}

export class RestorationDto {
  @ApiProperty() id!: string;
  @ApiProperty() institutionCode!: string;
  @ApiProperty() divisionCode!: string;
  @ApiProperty() category!: string;
  @ApiProperty({ type: [String] }) recordIds!: string[];
  @ApiProperty({ nullable: true, type: String }) reason!: string | null;
  @ApiProperty({ enum: ['pending', 'approved', 'rejected'] }) status!: string;
  @ApiProperty() appliedAt!: string;
  @ApiProperty({ nullable: true, type: String }) decidedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) decisionReason!: string | null;
  @ApiProperty({ description: 'hours since the application (until the decision)' }) waitingHours!: number;
}

export class RestorationPageDto {
  @ApiProperty({ type: [RestorationDto] }) items!: RestorationDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class AssignmentIssueDto {
  @ApiProperty({ description: 'the sheet row (as Excel numbers it)' }) row!: number;
  @ApiProperty({ example: 'B' }) column!: string;
  @ApiProperty() value!: string;
  @ApiProperty({ example: 'class-unknown' }) code!: string;
  @ApiProperty({ example: '本园没有名为“中九班”的班级，请先新建班级或改正名称' }) reason!: string;
}

export class AssignmentImportDto {
  @ApiProperty({ format: 'uuid', description: 'the stored batch: GET /classes/assignment-imports/{batchId}/log.xlsx' }) batchId!: string;
  @ApiProperty() rows!: number;
  @ApiProperty() placed!: number;
  @ApiProperty({ description: 'already in that class' }) unchanged!: number;
  @ApiProperty() failed!: number;
  @ApiProperty({ type: [AssignmentIssueDto], description: 'the validation log: every refused row with its column, value and reason' }) issues!: AssignmentIssueDto[];
  @ApiProperty() position!: number;
}

/** One stored class-assignment upload, as the list shows it (the log itself: log.xlsx). */
export class AssignmentImportBatchDto {
  @ApiProperty({ format: 'uuid' }) batchId!: string;
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() institutionCode!: string;
  @ApiProperty({ nullable: true, type: String, description: 'the X-File-Name sent with the upload' }) fileName!: string | null;
  @ApiProperty({ description: 'data rows in the sheet' }) rows!: number;
  @ApiProperty() placed!: number;
  @ApiProperty({ description: 'already in that class' }) unchanged!: number;
  @ApiProperty({ description: 'rows refused (each a line of the log)' }) failed!: number;
  @ApiProperty({ format: 'date-time' }) importedAt!: string;
  @ApiProperty({ description: 'the account that uploaded it' }) importedBy!: string;
}

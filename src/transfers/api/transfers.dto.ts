import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { ActorDto, CommandAcceptedDto } from '../../shared/http/openapi.js';

/** The record number the parent brings (学籍号): in the body, never in a URL. */
export class RecordNumberDto {
  @ApiProperty({ example: 'G410102202203150018', description: '幼儿学籍号（家长提供）' })
  @IsString({ message: '请填写学籍号' }) @Length(5, 40, { message: '学籍号长度不正确，请核对' }) recordNumber!: string;
}

export class RefuseDto {
  @ApiProperty({ example: '幼儿仍在本园就读，家长未办理转出', description: '不同意的原因（转入园可见）' })
  @IsString({ message: '请填写不同意的原因' }) @Length(2, 500, { message: '请填写不同意的原因（2-500 字）' }) reason!: string;
}

export class WithdrawDto {
  @ApiPropertyOptional({ example: '家长决定不转园', description: '撤回原因（可不填）' })
  @IsOptional() @IsString({ message: '撤回原因应为文字' }) @MaxLength(500, { message: '撤回原因最多 500 字' }) reason?: string;
}

export class ChildLookupDto {
  @ApiProperty({ format: 'uuid' }) recordId!: string;
  @ApiProperty({ example: '王小明' }) name!: string;
  @ApiProperty({ type: String, nullable: true, example: '410102********0018', description: '身份证件号码（已脱敏）' }) idNumber!: string | null;
  @ApiProperty({ example: '1141010001', description: '当前所在幼儿园' }) institutionCode!: string;
  @ApiProperty({ type: String, nullable: true, example: '郑州市中原区第一幼儿园' }) institutionName!: string | null;
  @ApiProperty({ example: 'numbered', description: '学籍状态（numbered 在园、dedupe-passed 查重通过待审核、left 已离园、problem 问题学籍…）' }) status!: string;
  @ApiProperty({ type: String, nullable: true, example: 'transfer-out', description: '已离园时的离园类型' }) leaveType!: string | null;
}

export class TransferChildDto {
  @ApiProperty({ example: '王小明' }) name!: string;
  @ApiProperty({ type: String, nullable: true, description: '身份证件号码（不是该幼儿所在园的账号时脱敏）' }) idNumber!: string | null;
  @ApiProperty({ type: String, nullable: true, description: '学籍号（G 号同样脱敏）' }) recordNumber!: string | null;
}

export class TransferDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) recordId!: string;
  @ApiProperty({ enum: ['receiving-first', 'sending-first'], description: 'receiving-first 转入园先申请、转出园审批；sending-first 转出园已办理转出离园，无需再审批' }) flow!: string;
  @ApiProperty({ enum: ['applied', 'ready', 'refused', 'withdrawn', 'completed'], description: 'applied 待转出园审批，ready 待转入园办结，refused 不同意，withdrawn 已撤回，completed 已办结' }) status!: string;
  @ApiProperty() open!: boolean;
  @ApiProperty() fromInstitutionCode!: string;
  @ApiProperty({ type: String, nullable: true }) fromInstitutionName!: string | null;
  @ApiProperty() fromDivisionCode!: string;
  @ApiProperty() toInstitutionCode!: string;
  @ApiProperty({ type: String, nullable: true }) toInstitutionName!: string | null;
  @ApiProperty() toDivisionCode!: string;
  @ApiProperty({ type: String, nullable: true, description: '须办理下一步的幼儿园' }) awaitingInstitutionCode!: string | null;
  @ApiProperty({ type: String, nullable: true, description: '等待对方办理的幼儿园' }) waitingInstitutionCode!: string | null;
  @ApiProperty({ format: 'date-time' }) appliedAt!: string;
  @ApiProperty({ type: String, nullable: true, example: '2026-10-23', description: '办结期限（申请日起 30 个工作日，按国家法定节假日和调休计算，查询时计算）；期限所在年份的节假日安排尚未载入时为 null，原因见 dueDateNote' }) dueDate!: string | null;
  @ApiProperty({ type: String, nullable: true, example: '2027 年的法定节假日和调休安排尚未载入，暂无法确定办结期限（申请日起 30 个工作日）；载入后自动显示，请联系系统管理员更新节假日文件', description: 'dueDate 为 null 的原因；期限已知时为 null' }) dueDateNote!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) agreedAt!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) closedAt!: string | null;
  @ApiProperty({ type: String, nullable: true, description: '不同意或撤回的原因' }) reason!: string | null;
  @ApiProperty({ type: String, nullable: true, enum: ['numbered', 'dedupe-passed', null], description: '办结时学籍的状态（dedupe-passed：须由转入园审核账号审核通过后才能分班）' }) recordStatus!: string | null;
  @ApiProperty({ type: TransferChildDto, nullable: true }) child!: TransferChildDto | null;
  @ApiProperty({ type: Number, nullable: true, description: '申请以来已过的工作日（按国家法定节假日和调休计算；某年节假日安排尚未公布时为 null）' }) workingDaysElapsed!: number | null;
  @ApiProperty({ type: Boolean, nullable: true, description: '已过办结期限仍未办结；期限和今天都落在节假日安排尚未载入的年份时暂无法判断，为 null（超期列表仍列出，以免漏看）' }) overdue!: boolean | null;
}

export class TransferAcceptedDto extends CommandAcceptedDto {
  @ApiProperty({ enum: ['applied', 'ready', 'refused', 'withdrawn', 'completed'] }) status!: string;
}

export class TimelineEntryDto {
  @ApiProperty() revision!: number;
  @ApiProperty({ example: 'TransferApplied' }) type!: string;
  @ApiProperty({ example: '转入园提交转入申请' }) label!: string;
  @ApiProperty({ format: 'date-time' }) occurredAt!: string;
  @ApiProperty({ type: ActorDto }) actor!: ActorDto;
  @ApiProperty({ type: String, nullable: true }) reason!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) data!: Record<string, unknown>;
}

export class TimelineDto {
  @ApiProperty({ format: 'uuid' }) transferId!: string;
  @ApiProperty() status!: string;
  @ApiProperty({ type: [TimelineEntryDto] }) items!: TimelineEntryDto[];
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ActorDto } from '../../shared/http/openapi.js';

const FEN = { type: String, example: '123456', description: '金额（分），十进制整数字符串：123456 即 1234.56 元' };
const STATUSES = ['pending', 'approved', 'rejected', 'acknowledged', 'withdrawn'];

export class KindItemView {
  @ApiProperty() key!: string;
  @ApiProperty() label!: string;
  @ApiProperty() required!: boolean;
}

export class DeclarationKindView {
  @ApiProperty({ description: '异动类型编号' }) id!: string;
  @ApiProperty({ enum: ['province', 'county'] }) ownerLevel!: string;
  @ApiProperty({ example: '410000' }) ownerDivision!: string;
  @ApiProperty({ example: '园长变更' }) name!: string;
  @ApiProperty({ enum: ['review', 'acknowledge'] }) handling!: string;
  @ApiProperty({ type: [KindItemView] }) fields!: KindItemView[];
  @ApiProperty({ type: [KindItemView] }) attachments!: KindItemView[];
  @ApiProperty({ enum: ['active', 'retired'] }) status!: string;
  @ApiProperty() definedAt!: string;
  @ApiProperty({ description: '设置顺序（列表按此排列）' }) order!: number;
}

export class DeclarationKindListDto {
  @ApiProperty({ type: [DeclarationKindView] }) items!: DeclarationKindView[];
}

export class DelegationView {
  @ApiProperty() id!: string;
  @ApiProperty() provinceCode!: string;
  @ApiProperty() countyCode!: string;
  @ApiProperty() delegatedAt!: string;
}

export class DelegationListDto {
  @ApiProperty({ type: [DelegationView] }) items!: DelegationView[];
}

export class AttachmentView {
  @ApiProperty({ description: '附件项代码' }) key!: string;
  @ApiProperty({ description: '下载：GET /supervision/declarations/{id}/attachments/{sha256}' }) sha256!: string;
  @ApiProperty() size!: number;
  @ApiProperty({ enum: ['application/pdf', 'image/jpeg', 'image/png'] }) contentType!: string;
  @ApiProperty() fileName!: string;
}

export class DeclarationView {
  @ApiProperty({ description: '申报编号' }) id!: string;
  @ApiProperty() kindId!: string;
  @ApiProperty() kindName!: string;
  @ApiProperty({ enum: ['review', 'acknowledge'] }) handling!: string;
  @ApiProperty() institutionCode!: string;
  @ApiProperty({ type: String, nullable: true }) institutionName!: string | null;
  @ApiProperty({ description: '所在县（区）' }) divisionCode!: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, description: '填写项' }) fields!: Record<string, string>;
  @ApiProperty({ type: [AttachmentView] }) attachments!: AttachmentView[];
  @ApiProperty({ type: String, nullable: true, description: '异动原因（重新提交时为修改说明）' }) reason!: string | null;
  @ApiProperty({ enum: STATUSES }) status!: string;
  @ApiProperty() declaredAt!: string;
  @ApiProperty({ description: '最近一次提交（重新提交时重新计时）' }) submittedAt!: string;
  @ApiProperty({ description: '提交次数' }) submissions!: number;
  @ApiProperty({ type: String, nullable: true }) handledAt!: string | null;
  @ApiProperty({ type: String, nullable: true, description: '驳回原因、审核或阅知意见、撤回原因' }) handlingNote!: string | null;
  @ApiProperty({ type: Number, nullable: true, description: '待处理：自提交起已过的工作日（提交当天不计，按国务院节假日安排）' }) workingDaysElapsed!: number | null;
  @ApiProperty({ type: String, nullable: true, description: '待处理：按时办理的最后一天（提交后第 5 个工作日）' }) dueDate!: string | null;
  @ApiProperty({ description: '待处理且已超过 5 个工作日' }) overdue!: boolean;
}

export class DeclarationPageDto {
  @ApiProperty({ type: [DeclarationView] }) items!: DeclarationView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class HistoryLineView {
  @ApiProperty({ example: 'DeclarationRejected' }) type!: string;
  @ApiProperty() at!: string;
  @ApiProperty({ type: ActorDto }) actor!: ActorDto;
  @ApiProperty({ type: String, nullable: true }) reason!: string | null;
}

export class DeclarationDetailDto extends DeclarationView {
  @ApiProperty({ type: [HistoryLineView], description: '全部经过（最早的在前）' }) history!: HistoryLineView[];
}

export class OverdueCountView {
  @ApiProperty() id!: string;
  @ApiProperty() countyCode!: string;
  @ApiProperty() countyName!: string;
  @ApiProperty({ description: '待处理' }) pending!: number;
  @ApiProperty({ description: '其中超过 5 个工作日' }) overdue!: number;
}

export class OverdueCountsDto {
  @ApiProperty({ example: '2026-10-13', description: '计算日（北京时间）' }) today!: string;
  @ApiProperty({ type: [OverdueCountView] }) items!: OverdueCountView[];
}

export class FundsView {
  @ApiProperty(FEN) central!: string;
  @ApiProperty(FEN) provincial!: string;
  @ApiProperty(FEN) local!: string;
}

export class ProjectView {
  @ApiProperty({ description: '项目编号' }) id!: string;
  @ApiProperty({ enum: ['province', 'prefecture', 'county'], description: '填报单位层级' }) level!: string;
  @ApiProperty({ description: '填报单位的区划代码' }) divisionCode!: string;
  @ApiProperty() name!: string;
  @ApiProperty() kind!: string;
  @ApiProperty() year!: number;
  @ApiProperty({ type: FundsView }) funds!: FundsView;
  @ApiProperty(FEN) allocated!: string;
  @ApiProperty(FEN) spent!: string;
  @ApiProperty({ description: '进度（%）' }) progress!: number;
  @ApiProperty() note!: string;
  @ApiProperty({ example: '2026-10', description: '最近一次填报的所报月份' }) lastMonth!: string;
  @ApiProperty() enteredAt!: string;
  @ApiProperty() lastUpdatedAt!: string;
  @ApiProperty({ example: '2026-10', description: '最近一次更新所在月份（北京时间）' }) updatedMonth!: string;
  @ApiProperty({ description: '填报次数（含录入）' }) reports!: number;
}

export class ProjectPageDto {
  @ApiProperty({ type: [ProjectView] }) items!: ProjectView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class ProjectHistoryLineView {
  @ApiProperty({ enum: ['FundingProjectEntered', 'FundingProjectReported'] }) type!: string;
  @ApiProperty() at!: string;
  @ApiProperty({ type: ActorDto }) actor!: ActorDto;
  @ApiProperty({ example: '2026-10', description: '所报月份' }) month!: string;
  @ApiProperty({ type: FundsView }) funds!: FundsView;
  @ApiProperty(FEN) allocated!: string;
  @ApiProperty(FEN) spent!: string;
  @ApiProperty() progress!: number;
  @ApiProperty() note!: string;
}

export class ProjectDetailDto extends ProjectView {
  @ApiProperty({ type: [ProjectHistoryLineView] }) history!: ProjectHistoryLineView[];
}

export class TotalsView {
  @ApiProperty() projects!: number;
  @ApiProperty(FEN) central!: string;
  @ApiProperty(FEN) provincial!: string;
  @ApiProperty(FEN) local!: string;
  @ApiProperty({ ...FEN, description: '资金合计（中央 + 省级 + 地方，分）' }) funds!: string;
  @ApiProperty(FEN) allocated!: string;
  @ApiProperty(FEN) spent!: string;
}

export class LevelTotalsView extends TotalsView {
  @ApiProperty({ enum: ['province', 'prefecture', 'county'] }) level!: string;
}

export class ProjectTotalsDto {
  @ApiProperty({ type: Number, nullable: true }) year!: number | null;
  @ApiProperty({ type: TotalsView, description: '本辖区（本级及下级）合计' }) totals!: TotalsView;
  @ApiProperty({ type: [LevelTotalsView], description: '按填报层级' }) byLevel!: LevelTotalsView[];
  @ApiProperty({ ...FEN, description: '辖区内各省收到的中央财政奖补资金（分）' }) centralAward!: string;
}

export class ToDoItemView {
  @ApiProperty() projectId!: string;
  @ApiProperty() level!: string;
  @ApiProperty() divisionCode!: string;
  @ApiProperty() name!: string;
  @ApiProperty() year!: number;
  @ApiProperty({ type: FundsView }) funds!: FundsView;
  @ApiProperty() lastMonth!: string;
  @ApiProperty() lastUpdatedAt!: string;
}

export class ToDoDto {
  @ApiProperty({ example: '2026-10' }) month!: string;
  @ApiProperty({ type: [ToDoItemView], description: '本单位本月尚未更新的项目' }) items!: ToDoItemView[];
}

export class MonthEndProjectView {
  @ApiProperty() projectId!: string;
  @ApiProperty() level!: string;
  @ApiProperty() divisionCode!: string;
  @ApiProperty() name!: string;
  @ApiProperty() kind!: string;
  @ApiProperty() year!: number;
  @ApiProperty({ type: FundsView }) funds!: FundsView;
  @ApiProperty(FEN) allocated!: string;
  @ApiProperty(FEN) spent!: string;
  @ApiProperty() progress!: number;
  @ApiProperty() lastMonth!: string;
  @ApiProperty({ description: '本月是否更新过（未更新的列入待办）' }) updatedThisMonth!: boolean;
}

export class MonthEndDto {
  @ApiProperty({ example: '2026-10' }) month!: string;
  @ApiProperty({ description: '数据截止时刻：该月最后一天 0 时（北京时间）' }) dueAt!: string;
  @ApiProperty() takenAt!: string;
  @ApiProperty({ type: [MonthEndProjectView] }) projects!: MonthEndProjectView[];
  @ApiProperty({ type: TotalsView }) totals!: TotalsView;
  @ApiProperty({ description: '本月未更新的项目数' }) notUpdated!: number;
}

export class CentralAwardView {
  @ApiProperty({ example: '410000-2026' }) id!: string;
  @ApiProperty() provinceCode!: string;
  @ApiProperty() year!: number;
  @ApiProperty(FEN) amount!: string;
  @ApiProperty() enteredAt!: string;
  @ApiPropertyOptional({ description: '填报次数（更正也是一次新的填报）' }) entries?: number;
}

export class CentralAwardListDto {
  @ApiProperty({ type: [CentralAwardView] }) items!: CentralAwardView[];
}

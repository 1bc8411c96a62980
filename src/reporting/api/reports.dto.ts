import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** OpenAPI shapes of the report answers (application/figures.ts, reports.service.ts). */
export class BucketDto {
  @ApiProperty({ description: '代码（按存储的代码，年龄为周岁数，班级为年级）', example: '1' }) code!: string;
  @ApiProperty({ description: '中文名称', example: '男' }) label!: string;
  @ApiProperty({ description: '数量' }) count!: number;
}

export class InstitutionFiguresDto {
  @ApiProperty({ description: '机构代码库中在册的机构数（有标识码，未撤销）' }) registered!: number;
  @ApiProperty({ description: '纳入统计的机构数：有标识码且至少有 1 名在园幼儿' }) counted!: number;
  @ApiProperty({ type: [BucketDto], description: '在册机构按类别' }) byType!: BucketDto[];
  @ApiProperty({ type: [BucketDto], description: '在册机构按办别（公办/民办）' }) byOwnership!: BucketDto[];
  @ApiProperty({ type: [BucketDto], description: '纳入统计的机构按类别' }) countedByType!: BucketDto[];
  @ApiProperty({ type: [BucketDto], description: '纳入统计的机构按办别' }) countedByOwnership!: BucketDto[];
}

export class UnlicensedFiguresDto {
  @ApiProperty({ description: '无证机构数（在办与整改中）' }) institutions!: number;
  @ApiProperty({ description: '无证机构的在园幼儿数' }) children!: number;
}

export class ClassFiguresDto {
  @ApiProperty({ description: '本学年班级数' }) total!: number;
  @ApiProperty({ type: [BucketDto], description: '本学年班级按年级' }) byGrade!: BucketDto[];
}

export class ChildFiguresDto {
  @ApiProperty({ description: '在园幼儿数（已审核通过、未离园）' }) total!: number;
  @ApiProperty({ type: [BucketDto], description: '按年级（未分班单列）' }) byGrade!: BucketDto[];
  @ApiProperty({ type: [BucketDto], description: '按性别' }) byGender!: BucketDto[];
  @ApiProperty({ type: [BucketDto], description: '按年龄（本学年 8 月 31 日的周岁，北京时间）' }) byAge!: BucketDto[];
  @ApiProperty({ type: [BucketDto], description: '按民族' }) byEthnicity!: BucketDto[];
  @ApiProperty({ description: '留守儿童数（单亲与双亲留守）' }) leftBehind!: number;
  @ApiProperty({ type: [BucketDto], description: '按留守情况' }) leftBehindByType!: BucketDto[];
  @ApiProperty({ description: '进城务工人员随迁子女数' }) migrantWorkerChildren!: number;
  @ApiProperty({ description: '残疾幼儿数' }) disabled!: number;
  @ApiProperty({ type: [BucketDto], description: '残疾幼儿按类别' }) disabilityByType!: BucketDto[];
  @ApiProperty({ description: '孤儿数' }) orphans!: number;
}

export class LeftFiguresDto {
  @ApiProperty({ description: '月份 YYYY-MM', example: '2026-11' }) month!: string;
  @ApiProperty({ description: '本月离园人数（按离园日期）' }) total!: number;
  @ApiProperty({ type: [BucketDto], description: '按离园类型（转出、毕业、休学、其他、发生意外离园）' }) byType!: BucketDto[];
}

export class RecordFiguresDto {
  @ApiProperty({ description: '已审核通过（已生成学籍号）的在园记录数' }) numbered!: number;
  @ApiProperty({ description: '待审核（省内查重通过，在审核队列中）的记录数' }) awaitingReview!: number;
  @ApiProperty({ type: [BucketDto], description: '记录按状态' }) byStatus!: BucketDto[];
}

export class FiguresDto {
  @ApiProperty({ description: '数据时点（实时为当前时间，月度为快照截止时间）', format: 'date-time' }) at!: string;
  @ApiProperty({ description: '学年（起始年份）', example: 2026 }) schoolYear!: number;
  @ApiProperty({ type: InstitutionFiguresDto }) institutions!: InstitutionFiguresDto;
  @ApiProperty({ type: UnlicensedFiguresDto }) unlicensed!: UnlicensedFiguresDto;
  @ApiProperty({ type: ClassFiguresDto }) classes!: ClassFiguresDto;
  @ApiProperty({ type: ChildFiguresDto }) children!: ChildFiguresDto;
  @ApiProperty({ type: LeftFiguresDto }) leftThisMonth!: LeftFiguresDto;
  @ApiProperty({ type: RecordFiguresDto }) records!: RecordFiguresDto;
}

export class UnitFiguresDto {
  @ApiProperty({ description: '统计单位：i:<机构标识码> 或 d:<行政区划代码>', example: 'd:410102' }) unit!: string;
  @ApiProperty({ enum: ['ministry', 'province', 'prefecture', 'county', 'institution'], description: '层级' }) level!: string;
  @ApiProperty({ description: '名称', example: '中原区' }) name!: string;
  @ApiProperty({ type: FiguresDto }) figures!: FiguresDto;
}

export class UnitReportDto extends UnitFiguresDto {
  @ApiProperty({ type: String, nullable: true, description: '上一级统计单位' }) parent!: string | null;
  @ApiProperty({ type: [UnitFiguresDto], description: '下一级单位（逐级下钻：省 > 市 > 县 > 机构）' }) parts!: UnitFiguresDto[];
}

export class MonthFiguresDto {
  @ApiProperty({ example: '2026-10' }) month!: string;
  @ApiProperty({ type: FiguresDto }) figures!: FiguresDto;
}

export class NumberChangeDto {
  @ApiProperty({ description: '指标路径，例如 children.byGender.1', example: 'children.total' }) path!: string;
  @ApiProperty() before!: number;
  @ApiProperty() after!: number;
  @ApiProperty({ description: '增减' }) change!: number;
}

export class ComparisonDto {
  @ApiProperty() unit!: string;
  @ApiProperty() name!: string;
  @ApiProperty() month!: string;
  @ApiProperty({ type: FiguresDto }) figures!: FiguresDto;
  @ApiProperty({ type: MonthFiguresDto, nullable: true, description: '上月快照（未生成时为 null）' }) previousMonth!: MonthFiguresDto | null;
  @ApiProperty({ type: MonthFiguresDto, nullable: true, description: '去年同月快照（未生成时为 null）' }) sameMonthLastYear!: MonthFiguresDto | null;
  @ApiProperty({ type: [NumberChangeDto], nullable: true, description: '与上月相比变化的指标' }) changeFromPreviousMonth!: NumberChangeDto[] | null;
  @ApiProperty({ type: [NumberChangeDto], nullable: true, description: '与去年同月相比变化的指标' }) changeFromLastYear!: NumberChangeDto[] | null;
}

export class RecomputedDto {
  @ApiProperty() unit!: string;
  @ApiProperty() month!: string;
  @ApiProperty({ description: '快照截止的日志位置' }) cutoffPosition!: number;
  @ApiProperty({ type: FiguresDto, description: '按日志重算到截止位置的数据' }) figures!: FiguresDto;
  @ApiProperty({ description: '重算结果与当时保存的快照是否完全一致（所有单位）' }) equalsKept!: boolean;
  @ApiProperty({ description: '比较的统计单位数' }) unitsCompared!: number;
}

export class CorrectionDifferenceDto {
  @ApiProperty({ example: 'children.total' }) path!: string;
  @ApiProperty({ description: '快照保存的数' }) kept!: number;
  @ApiProperty({ description: '计入此后更正的数' }) corrected!: number;
  @ApiProperty() difference!: number;
}

export class CorrectedDto {
  @ApiProperty() unit!: string;
  @ApiProperty() name!: string;
  @ApiProperty() month!: string;
  @ApiProperty({ format: 'date-time' }) cutoffAt!: string;
  @ApiProperty({ description: '计入的更正事件数（截止后登记、涉及本月的离园、恢复与信息更正）' }) correctionsApplied!: number;
  @ApiProperty({ type: FiguresDto, description: '快照保存的数据' }) kept!: FiguresDto;
  @ApiProperty({ type: FiguresDto, description: '计入此后更正的数据' }) corrected!: FiguresDto;
  @ApiProperty({ type: [CorrectionDifferenceDto], description: '两者不同的指标' }) differences!: CorrectionDifferenceDto[];
}

export class SnapshotItemDto {
  @ApiProperty({ example: '2026-11' }) month!: string;
  @ApiProperty({ format: 'date-time', description: '截止时间：当月最后一天 0 点（北京时间）' }) cutoffAt!: string;
  @ApiProperty({ description: '截止的日志位置' }) cutoffPosition!: number;
  @ApiProperty({ enum: ['schedule', 'start-up'], description: 'schedule 按时生成；start-up 服务启动时补生成' }) trigger!: string;
  @ApiProperty({ format: 'date-time' }) takenAt!: string;
  @ApiProperty({ description: '统计单位数' }) units!: number;
}

export class TodoDto {
  @ApiProperty({ example: 'monthly-update', description: '待办类型' }) code!: string;
  @ApiProperty({ example: '请在 11 月 25 日前完成本月幼儿信息更新', description: '中文说明' }) title!: string;
  @ApiProperty({ example: '2026-11-25', description: '截止日期（北京时间）' }) dueDate!: string;
  @ApiProperty({ description: '是否已过截止日期' }) overdue!: boolean;
  @ApiProperty({ format: 'date-time', description: '本月月度快照的时间' }) snapshotAt!: string;
  @ApiPropertyOptional({ format: 'uuid', description: '未更新的学前教育项目（待办类型 project-not-updated）' }) projectId?: string;
}

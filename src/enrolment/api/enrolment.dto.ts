import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsOptional, IsString, IsUUID, Length, Matches, ValidateIf } from 'class-validator';
import { LEAVE_TYPES } from '../../records/contracts/index.js';
import { GRADES, MARKS } from '../domain/class.decider.js';
import { RESTORATION_CATEGORIES } from '../domain/restoration.decider.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class CreateClassDto {
  @ApiProperty({ example: '大一班' }) @IsString({ message: '请填写班级名称' }) @Length(1, 30, { message: '班级名称应为 1-30 个字' }) name!: string;
  @ApiProperty({ enum: GRADES, example: '大班' }) @IsIn([...GRADES], { message: `年级应为 ${GRADES.join('、')} 之一` }) grade!: (typeof GRADES)[number];
  @ApiProperty({ example: '2026-2027' }) @Matches(/^\d{4}-\d{4}$/, { message: '学年应写作“2026-2027”' }) schoolYear!: string;
  @ApiProperty({ type: [String], example: ['李老师'], description: 'teachers’ names only (staff are not registered here)' })
  @IsArray({ message: '教师应为姓名列表' }) @ArrayMaxSize(20, { message: '教师最多 20 名' }) @IsString({ each: true, message: '教师姓名应为文字' }) @Length(1, 30, { each: true, message: '教师姓名应为 1-30 个字' }) teachers!: string[];
}

/**
 * Left out means "unchanged"; null is not a value (IsOptional would let it through to the
 * decider, which has no name for it), so each field is checked whenever it is present.
 */
const present = ValidateIf((_: object, value: unknown) => value !== undefined);

export class EditClassDto {
  @ApiPropertyOptional({ example: '大二班' }) @present @IsString({ message: '班级名称应为文字' }) @Length(1, 30, { message: '班级名称应为 1-30 个字' }) name?: string;
  @ApiPropertyOptional({ type: [String], example: ['李老师', '王老师'] })
  @present @IsArray({ message: '教师应为姓名列表' }) @ArrayMaxSize(20, { message: '教师最多 20 名' }) @IsString({ each: true, message: '教师姓名应为文字' }) @Length(1, 30, { each: true, message: '教师姓名应为 1-30 个字' }) teachers?: string[];
}

export class PlaceChildrenDto {
  @ApiProperty({ type: [String], description: 'record ids of approved (numbered) children of the kindergarten, at most 500' })
  @IsArray({ message: '请选择幼儿' }) @ArrayMinSize(1, { message: '请至少选择一名幼儿' }) @ArrayMaxSize(500, { message: '一次最多 500 名幼儿' }) @IsUUID('all', { each: true, message: '幼儿记录编号格式不正确' }) recordIds!: string[];
}

export class MarkDto {
  @ApiProperty({ enum: [...MARKS, null], nullable: true, description: '留班 (kept back at promotion), 留园 (stays at graduation: 大班/混龄班), null: unmark' })
  @IsOptional() @IsIn([...MARKS], { message: '标记应为“留班”或“留园”，取消标记请传 null' }) mark!: (typeof MARKS)[number] | null;
}

export class PromoteDto {
  @ApiProperty({ description: 'the class of the next grade receiving the promoted children' }) @IsUUID('all', { message: '请选择目标班级' }) targetClassId!: string;
}

export class GraduateDto {
  @ApiProperty({ example: '2027-07-05' }) @Matches(DATE, { message: '离园日期应为 YYYY-MM-DD' }) leaveDate!: string;
}

export class LeaveDto {
  @ApiProperty({ enum: LEAVE_TYPES, description: 'transfer-out 转出, graduated 毕业, suspended 休学, other 其他' }) @IsIn([...LEAVE_TYPES], { message: `离园类型应为 ${LEAVE_TYPES.join('/')}` }) leaveType!: (typeof LEAVE_TYPES)[number];
  @ApiProperty({ example: '2027-03-01' }) @Matches(DATE, { message: '离园日期应为 YYYY-MM-DD' }) leaveDate!: string;
  @ApiProperty({ example: '随父母迁往外省' }) @IsString({ message: '请填写离园原因' }) @Length(2, 500, { message: '请填写离园原因（2-500 字）' }) reason!: string;
}

export class RestorationDto {
  @ApiProperty({ enum: RESTORATION_CATEGORIES, description: 'the leave type the children were removed with (accident: cancelled)' })
  @IsIn([...RESTORATION_CATEGORIES], { message: `恢复类别应为 ${RESTORATION_CATEGORIES.join('/')}` }) category!: (typeof RESTORATION_CATEGORIES)[number];
  @ApiProperty({ type: [String] }) @IsArray({ message: '请选择幼儿' }) @ArrayMinSize(1, { message: '请至少选择一名幼儿' }) @ArrayMaxSize(200, { message: '一次最多 200 名幼儿' }) @IsUUID('all', { each: true, message: '幼儿记录编号格式不正确' }) recordIds!: string[];
  @ApiProperty({ example: '误将未满龄幼儿随班毕业' }) @IsString({ message: '请填写申请原因' }) @Length(2, 500, { message: '请填写申请原因（2-500 字）' }) reason!: string;
}

export class RestorationRejectDto {
  @ApiProperty({ example: '幼儿已实际离园' }) @IsString({ message: '请填写驳回原因' }) @Length(2, 500, { message: '请填写驳回原因（2-500 字）' }) reason!: string;
}

export class ProofFormDto {
  @ApiProperty({ example: '2027-03-01' }) accidentDate!: string;
  @ApiProperty({ example: '因病离世' }) reason!: string;
  @ApiProperty({ type: 'array', items: { type: 'string', format: 'binary' }, description: 'proof: PDF, JPEG or PNG, at most 5 files of 10 MB' }) files!: unknown[];
}


import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Length, MaxLength } from 'class-validator';

export class ReviewPassDto {
  @ApiPropertyOptional({ example: '入园登记表与缴费凭证齐全，确认在园' }) @IsOptional() @IsString() @MaxLength(500, { message: '审核意见不能超过 500 字' }) reason?: string;
}

export class ReviewFailDto {
  @ApiProperty({ example: '材料不能证明幼儿在园' }) @IsString({ message: '请填写审核不通过的原因' }) @Length(2, 500, { message: '请填写审核不通过的原因（2-500 字）' }) reason!: string;
}

export class ForceDeleteDto {
  @ApiProperty({ example: '幼儿园逾期未处理，经核实幼儿不在该园' }) @IsString({ message: '请填写强制删除的原因' }) @Length(2, 500, { message: '请填写强制删除的原因（2-500 字）' }) reason!: string;
}

export class ArbitrateDto {
  @ApiProperty({ description: '保留有效的记录编号（候选之一）' }) @IsUUID('all', { message: '请选定一条候选记录（recordId）' }) recordId!: string;
  @ApiPropertyOptional({ example: '幼儿实际在开封市就读，有学费票据', description: '仲裁理由；选定的不是系统建议的记录时必填' })
  @IsOptional() @IsString() @MaxLength(500, { message: '仲裁理由不能超过 500 字' }) reason?: string;
}

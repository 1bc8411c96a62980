import { ApiProperty } from '@nestjs/swagger';

export class ImportIssueDto {
  @ApiProperty({ description: 'Excel 行号（从 1 开始）' }) row!: number;
  @ApiProperty({ example: '出生日期', description: '列的中文表头' }) column!: string;
  @ApiProperty({ description: '单元格中填写的内容' }) value!: string;
  @ApiProperty({ example: 'birth-date-invalid' }) code!: string;
  @ApiProperty({ description: '中文原因和修改方法' }) reason!: string;
}

export class ImportSummaryDto {
  @ApiProperty({ format: 'uuid' }) batchId!: string;
  @ApiProperty({ type: String, nullable: true }) fileName!: string | null;
  @ApiProperty({ description: '数据行数' }) rows!: number;
  @ApiProperty({ description: '保存的行数' }) saved!: number;
  @ApiProperty({ description: '有错误的行数' }) failed!: number;
  @ApiProperty({ description: '本园已有、未重复导入的行数' }) alreadyPresent!: number;
  @ApiProperty({ type: [ImportIssueDto] }) issues!: ImportIssueDto[];
  @ApiProperty({ description: '校验日志（xlsx）的下载地址' }) logUrl!: string;
  @ApiProperty() position!: number;
}

/** One upload in the list (without its issues) or alone (with them). */
export class ImportBatchDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ type: String, nullable: true }) fileName!: string | null;
  @ApiProperty() rows!: number;
  @ApiProperty() saved!: number;
  @ApiProperty() failed!: number;
  @ApiProperty() alreadyPresent!: number;
  @ApiProperty({ description: '上传的账号' }) importedBy!: string;
  @ApiProperty({ required: false, description: '问题条数（列表中）' }) issueCount?: number;
  @ApiProperty({ type: [ImportIssueDto], required: false, description: '全部问题（单个批次中）' }) issues?: ImportIssueDto[];
}

import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, type Principal } from '../../accounts/contracts/index.js';
import type { CommandContext } from '../../shared/command/command-path.js';
import { ReadsProjections } from '../../shared/http/consistency.interceptor.js';
import { ApiPage, ApiProblems } from '../../shared/http/openapi.js';
import { ApiPaging, type PageRequest, Paging } from '../../shared/http/paging.js';
import { ProblemException } from '../../shared/http/problem.js';
import { CommandCtx } from '../../shared/http/request-context.js';
import { XLSX, xlsxAttachment } from '../../shared/http/spreadsheet-files.js';
import { ExportsService } from '../application/exports.service.js';

const KINDS = ['office-summary', 'institution-children'] as const;

class ExportRequestDto {
  @ApiProperty({ enum: KINDS, description: 'office-summary 各级教育部门导出管辖范围内的汇总；institution-children 机构导出本园幼儿明细' })
  @IsIn(KINDS as unknown as string[], { message: '导出类型应为 office-summary（汇总）或 institution-children（本园幼儿明细）' })
  kind!: (typeof KINDS)[number];

  @ApiPropertyOptional({ description: '汇总导出的统计单位（d:<区划代码> 或 i:<机构标识码>），默认本单位', example: 'd:410102' })
  @IsOptional() @IsString() @Matches(/^(i:\d{10}|d:\d{6})$/, { message: '统计单位应为 d:<6 位区划代码> 或 i:<10 位机构标识码>' })
  unit?: string;

  @ApiPropertyOptional({ description: '汇总导出某月的月度快照（YYYY-MM）；不填为实时数据', example: '2026-11' })
  @IsOptional() @IsString() @Matches(/^\d{4}-(0[1-9]|1[0-2])$/, { message: '月份格式应为 YYYY-MM，例如 2026-11' })
  month?: string;
}

class ExportAcceptedDto {
  @ApiProperty({ format: 'uuid', description: '导出任务编号' }) exportId!: string;
  @ApiProperty({ enum: ['running'], description: '任务状态' }) status!: string;
  @ApiProperty({ description: '事件日志位置（X-Min-Position 用）' }) position!: number;
}

class ExportStatusDto {
  @ApiProperty({ format: 'uuid' }) exportId!: string;
  @ApiProperty({ enum: KINDS }) kind!: string;
  @ApiProperty({ example: 'i:1141010001', description: '统计单位' }) unit!: string;
  @ApiProperty({ type: String, nullable: true, description: '月份（实时数据为 null）' }) month!: string | null;
  @ApiProperty({ description: '身份证件号码、电话、住址是否已脱敏' }) masked!: boolean;
  @ApiProperty({ format: 'date-time' }) requestedAt!: string;
  @ApiProperty({ enum: ['running', 'completed', 'failed'], description: 'running 进行中；completed 可下载；failed 失败（见 reason）' }) status!: string;
  @ApiProperty({ description: '已写入行数' }) rowsDone!: number;
  @ApiProperty({ description: '总行数' }) rowsTotal!: number;
  @ApiProperty({ type: Number, nullable: true, description: '文件大小（字节）' }) bytes!: number | null;
  @ApiProperty({ type: String, nullable: true, description: '失败原因' }) reason!: string | null;
}

class ExportRecordDto {
  @ApiProperty({ format: 'uuid' }) exportId!: string;
  @ApiProperty({ enum: KINDS }) kind!: string;
  @ApiProperty() unit!: string;
  @ApiProperty({ type: String, nullable: true }) month!: string | null;
  @ApiProperty({ description: '是否脱敏' }) masked!: boolean;
  @ApiProperty({ format: 'date-time' }) requestedAt!: string;
  @ApiProperty({ description: '发起导出的账号编号' }) requesterAccountId!: string;
  @ApiProperty({ description: '发起账号的角色' }) requesterRole!: string;
  @ApiProperty({ description: '发起账号所在单位' }) requesterOrganisation!: string;
  @ApiProperty({ enum: ['running', 'completed', 'failed'] }) status!: string;
  @ApiProperty({ type: Number, nullable: true, description: '导出行数' }) rows!: number | null;
  @ApiProperty({ type: Number, nullable: true }) bytes!: number | null;
  @ApiProperty({ type: String, nullable: true }) reason!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) endedAt!: string | null;
}

const exportUuid = new ParseUUIDPipe({ exceptionFactory: () => new ProblemException(404, 'export-not-found', '导出任务不存在，或不是本账号发起的') });

/** Exports (数据导出, issue 17): jobs answered at once, progress, download, and the administrators' register. */
@ApiTags('exports')
@ApiBearerAuth()
@Controller('exports')
export class ExportsController {
  constructor(private readonly exports: ExportsService) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({ summary: '发起导出（后台任务，立即返回任务编号）', description: '领导账号只读，不能发起导出。' })
  @ApiAcceptedResponse({ type: ExportAcceptedDto })
  @ApiProblems(403, 404)
  request(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Body() body: ExportRequestDto) {
    return this.exports.request(principal, { kind: body.kind, ...(body.unit ? { unit: body.unit } : {}), ...(body.month ? { month: body.month } : {}) }, context);
  }

  @Get()
  @ReadsProjections('reporting')
  @ApiOperation({ summary: '导出记录（系统管理员）：谁、何时、导出了什么、多少行、是否脱敏' })
  @ApiPage(ExportRecordDto)
  @ApiPaging()
  @ApiProblems(403)
  list(@CurrentPrincipal() principal: Principal, @Paging() page: PageRequest) {
    return this.exports.list(principal, page);
  }

  @Get(':exportId')
  @ApiOperation({ summary: '导出任务的进度（已写入行数 / 总行数）与状态' })
  @ApiOkResponse({ type: ExportStatusDto })
  @ApiProblems(404)
  async status(@CurrentPrincipal() principal: Principal, @Param('exportId', exportUuid) exportId: string) {
    const { fileId: _f, subjectsFileId: _s, ...status } = await this.exports.status(principal, exportId);
    return status;
  }

  @Get(':exportId/file')
  @ApiProduces(XLSX)
  @ApiOperation({ summary: '下载导出文件（Excel）' })
  @ApiOkResponse({ description: '导出文件（.xlsx）', content: { [XLSX]: { schema: { type: 'string', format: 'binary' } } } })
  @ApiProblems(404)
  async file(@CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) reply: FastifyReply, @Param('exportId', exportUuid) exportId: string) {
    const { bytes, name } = await this.exports.file(principal, exportId);
    xlsxAttachment(reply, name, `export-${exportId.slice(0, 8)}.xlsx`);
    return bytes;
  }
}

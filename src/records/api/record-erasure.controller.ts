import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsIn, IsString, Length } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, type Principal } from '../../accounts/contracts/index.js';
import type { CommandContext } from '../../shared/command/command-path.js';
import { commandResponse } from '../../shared/http/command-response.js';
import { ApiProblems } from '../../shared/http/openapi.js';
import { ProblemException } from '../../shared/http/problem.js';
import { CommandCtx } from '../../shared/http/request-context.js';
import { EraseRecord } from '../application/erasure/record-erasure.handler.js';
import { ERASURE_GROUNDS, type ErasureGround } from '../domain/record.decider.js';
import { RecordCommandDto } from './record-responses.dto.js';

const uuid = new ParseUUIDPipe({ exceptionFactory: () => new ProblemException(404, 'record-not-found', '学籍记录不存在或不在您的管辖范围内') });

export class EraseRecordDto {
  @ApiProperty({ enum: ERASURE_GROUNDS, description: 'created-by-mistake：误录入；retention-ended：保存期限已届满' })
  @IsIn(ERASURE_GROUNDS, { message: 'ground 应为 created-by-mistake（误录入）或 retention-ended（保存期限届满）' })
  ground!: ErasureGround;

  @ApiProperty({ example: '测试时误录入，经园方书面申请删除', minLength: 5, maxLength: 500 })
  @IsString() @Length(5, 500, { message: '擦除原因 5-500 字' })
  reason!: string;
}

@ApiTags('records')
@ApiBearerAuth()
@Controller('records')
export class RecordErasureController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post(':id/erasure')
  @HttpCode(200)
  @ApiOperation({
    summary: '擦除学籍（销毁个人信息）',
    description: '区县管理员账号擦除本区县误录入或保存期限届满的学籍：销毁该幼儿的数据密钥，事件保留，其中的姓名、身份证件号码、住址、监护人信息此后在任何列表、共享、导出和之后的备份中都无法读取；省内查重不再匹配该记录。须写明原因，记入审计。',
  })
  @ApiOkResponse({ type: RecordCommandDto })
  @ApiProblems(403, 404, 422, 503)
  async erase(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Res({ passthrough: true }) reply: FastifyReply, @Param('id', uuid) id: string, @Body() body: EraseRecordDto) {
    const outcome = await this.commandBus.execute(new EraseRecord(principal, id, body.ground, body.reason, context));
    return { ...commandResponse(reply, id, outcome), status: outcome.state.status };
  }
}

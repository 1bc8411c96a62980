import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, type Principal } from '../../accounts/contracts/index.js';
import type { CommandContext } from '../../shared/command/command-path.js';
import { commandResponse } from '../../shared/http/command-response.js';
import { ReadsProjections } from '../../shared/http/consistency.interceptor.js';
import { ApiProblems, CommandAcceptedDto } from '../../shared/http/openapi.js';
import { ProblemException } from '../../shared/http/problem.js';
import { CommandCtx } from '../../shared/http/request-context.js';
import { DefineDeclarationKind, RetireDeclarationKind, SetKindDelegation } from '../application/declarations/kind.handlers.js';
import { ListDeclarationKinds, ListKindDelegations } from '../application/declarations/declaration.queries.js';
import { DeclarationKindListDto, DelegationListDto } from './responses.dto.js';
import { DefineKindDto, DelegationDto } from './supervision.dto.js';

export const DECLARATIONS_TAG = 'change declarations (异动申报)';
const kindUuid = new ParseUUIDPipe({ exceptionFactory: () => new ProblemException(404, 'declaration-kind-not-found', '异动类型不存在或不由本单位设置') });

@ApiTags(DECLARATIONS_TAG)
@ApiBearerAuth()
@Controller('supervision')
export class DeclarationKindsController {
  constructor(private readonly commandBus: CommandBus, private readonly queryBus: QueryBus) {}

  @Get('declaration-kinds')
  @ReadsProjections('supervision')
  @ApiOperation({ summary: '异动类型：幼儿园可申报的类型（省级和本县设置的）；教育部门看辖区内设置的类型' })
  @ApiQuery({ name: 'includeRetired', required: false, enum: ['true', 'false'], description: '教育部门：含已停用的类型' })
  @ApiOkResponse({ type: DeclarationKindListDto })
  list(@CurrentPrincipal() principal: Principal, @Query('includeRetired') includeRetired?: string) {
    return this.queryBus.execute(new ListDeclarationKinds(principal, includeRetired === 'true'));
  }

  @Post('declaration-kinds')
  @HttpCode(201)
  @ApiOperation({ summary: '设置异动类型（省级；或经省级授权的县级）：审核或阅知、须填写的项和须上传的附件' })
  @ApiCreatedResponse({ type: CommandAcceptedDto })
  @ApiProblems(403)
  async define(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Res({ passthrough: true }) reply: FastifyReply, @Body() body: DefineKindDto) {
    const outcome = await this.commandBus.execute(new DefineDeclarationKind(principal, { name: body.name, handling: body.handling, fields: body.fields.map(({ key, label, required }) => ({ key, label, required })), attachments: body.attachments.map(({ key, label, required }) => ({ key, label, required })) }, context));
    return commandResponse(reply, outcome.state.kindId, outcome);
  }

  @Post('declaration-kinds/:kindId/retire')
  @HttpCode(200)
  @ApiOperation({ summary: '停用本单位设置的异动类型（已提交的申报不受影响）' })
  @ApiOkResponse({ type: CommandAcceptedDto })
  @ApiProblems(403, 404)
  async retire(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Res({ passthrough: true }) reply: FastifyReply, @Param('kindId', kindUuid) kindId: string) {
    return commandResponse(reply, kindId, await this.commandBus.execute(new RetireDeclarationKind(principal, kindId, context)));
  }

  @Get('declaration-kind-delegations')
  @ReadsProjections('supervision')
  @ApiOperation({ summary: '省级授权设置异动类型的县（区）' })
  @ApiOkResponse({ type: DelegationListDto })
  @ApiProblems(403)
  delegations(@CurrentPrincipal() principal: Principal) {
    return this.queryBus.execute(new ListKindDelegations(principal));
  }

  @Post('declaration-kind-delegations')
  @HttpCode(200)
  @ApiOperation({ summary: '省级授权（或收回授权）某县（区）设置本县的异动类型' })
  @ApiOkResponse({ type: CommandAcceptedDto })
  @ApiProblems(403)
  async delegate(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Res({ passthrough: true }) reply: FastifyReply, @Body() body: DelegationDto) {
    return commandResponse(reply, principal.divisionCode, await this.commandBus.execute(new SetKindDelegation(principal, body.countyCode, body.delegated, context)));
  }
}

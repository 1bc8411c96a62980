import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, type Principal } from '../../accounts/contracts/index.js';
import type { CommandContext } from '../../shared/command/command-path.js';
import { commandResponse } from '../../shared/http/command-response.js';
import { ApiPaging, type PageRequest, Paging } from '../../shared/http/paging.js';
import { CommandCtx } from '../../shared/http/request-context.js';
import { ListApiClients, RegisterApiClient, RevokeApiClient, RotateApiClientSecret } from '../application/api-client.handlers.js';
import { ApiClientPageDto, ApiClientSecretDto, CommandAcceptedDto, RegisterApiClientDto, RevokeApiClientDto } from './api-clients.dto.js';

@ApiTags('sharing')
@ApiBearerAuth()
@Controller('api-clients')
export class ApiClientsController {
  constructor(private readonly commandBus: CommandBus, private readonly queryBus: QueryBus) {}

  @Post()
  @ApiOperation({ summary: '登记接口客户端（系统管理员；密钥只显示一次）' })
  @ApiCreatedResponse({ type: ApiClientSecretDto })
  @ApiResponse({ status: 400, description: '数据有误（级别与区划不符等）' })
  @ApiResponse({ status: 403, description: '不是系统管理员，或区划不在其管辖范围' })
  async register(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Res({ passthrough: true }) reply: FastifyReply, @Body() body: RegisterApiClientDto): Promise<ApiClientSecretDto> {
    const outcome = await this.commandBus.execute(new RegisterApiClient(principal, { name: body.name, level: body.level, divisionCode: body.divisionCode, profile: body.profile }, context));
    void reply.header('Cache-Control', 'no-store');
    const { revision, position } = commandResponse(reply, outcome.clientId, outcome);
    return { clientId: outcome.clientId, clientSecret: outcome.clientSecret, revision, position };
  }

  @Get()
  @ApiOperation({ summary: '本级及下级的接口客户端列表（系统管理员）' })
  @ApiPaging()
  @ApiOkResponse({ type: ApiClientPageDto })
  @ApiResponse({ status: 403, description: '不是系统管理员' })
  list(@CurrentPrincipal() principal: Principal, @Paging() page: PageRequest) {
    return this.queryBus.execute(new ListApiClients(principal, page));
  }

  @Post(':clientId/rotate-secret')
  @HttpCode(200)
  @ApiOperation({ summary: '更换客户端密钥（旧密钥及其令牌立即失效；新密钥只显示一次）' })
  @ApiOkResponse({ type: ApiClientSecretDto })
  @ApiResponse({ status: 403, description: '不是系统管理员' })
  @ApiResponse({ status: 404, description: '没有该客户端，或不在管辖范围' })
  @ApiResponse({ status: 422, description: '客户端已吊销' })
  async rotate(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Res({ passthrough: true }) reply: FastifyReply, @Param('clientId') clientId: string): Promise<ApiClientSecretDto> {
    const outcome = await this.commandBus.execute(new RotateApiClientSecret(principal, clientId, context));
    void reply.header('Cache-Control', 'no-store');
    const { revision, position } = commandResponse(reply, clientId, outcome);
    return { clientId, clientSecret: outcome.clientSecret, revision, position };
  }

  @Post(':clientId/revoke')
  @HttpCode(200)
  @ApiOperation({ summary: '吊销客户端（其令牌立即失效）' })
  @ApiOkResponse({ type: CommandAcceptedDto })
  @ApiResponse({ status: 400, description: '未填写原因' })
  @ApiResponse({ status: 403, description: '不是系统管理员' })
  @ApiResponse({ status: 404, description: '没有该客户端，或不在管辖范围' })
  async revoke(@CurrentPrincipal() principal: Principal, @CommandCtx() context: CommandContext, @Res({ passthrough: true }) reply: FastifyReply, @Param('clientId') clientId: string, @Body() body: RevokeApiClientDto) {
    return commandResponse(reply, clientId, await this.commandBus.execute(new RevokeApiClient(principal, clientId, body.reason, context)));
  }
}

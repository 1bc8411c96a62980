import { Controller, Get, Req } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CurrentPrincipal, type Principal } from '../../accounts/contracts/index.js';
import type { MachineClient, MachineClientRequest } from '../../shared/access/machine-clients.js';
import { ReadsProjections } from '../../shared/http/consistency.interceptor.js';
import { ForMachineClients } from '../../shared/http/machine-client-route.js';
import { ApiPage, ApiProblems } from '../../shared/http/openapi.js';
import { ApiPaging, type PageRequest, Paging } from '../../shared/http/paging.js';
import { ProblemException } from '../../shared/http/problem.js';
import { GetHandoverProgress } from '../application/handover.queries.js';
import { RegistrationNotFound } from '../application/registration-feed.js';
import { NotFoundPupilDto, ProgressDto } from './handover.dto.js';

/** The offices' view of the hand-over: progress per county and for the whole division, counts only. */
@ApiTags('handover')
@ApiBearerAuth()
@Controller('handover')
export class HandoverProgressController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get('progress')
  @ReadsProjections('handover')
  @ApiOperation({ summary: '学籍接续进度（区县及以上）：各县新生名单按状态的人数、未查到人数，本辖区幼儿园学籍接续到小学的人数和学校' })
  @ApiOkResponse({ type: ProgressDto })
  @ApiProblems(403)
  progress(@CurrentPrincipal() principal: Principal) {
    return this.queryBus.execute(new GetHandoverProgress(principal));
  }
}

const PAGING = { defaultLimit: 200, maxLimit: 1000 };

/** The registration system (全国中小学生学籍信息管理系统) as an API client: the not-found pupils of its division. */
@ApiTags('handover')
@ApiBearerAuth()
@ForMachineClients()
@Controller('handover/registration')
export class RegistrationController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get('not-found')
  @ReadsProjections('handover')
  @ApiOperation({ summary: '未查到学前学籍的新生（接口客户端：学籍系统），按客户端的区划和数据档案，按更新时间分页' })
  @ApiPaging(PAGING)
  @ApiPage(NotFoundPupilDto)
  @ApiProblems(403)
  notFound(@Req() request: FastifyRequest, @Paging(PAGING) page: PageRequest) {
    const client: MachineClient | undefined = (request as FastifyRequest & MachineClientRequest).machineClient;
    if (!client) throw new ProblemException(403, 'client-only', '该接口只对接口客户端（学籍系统）开放，请使用客户端令牌');
    return this.queryBus.execute(new RegistrationNotFound(client, page.limit, page.cursor));
  }
}

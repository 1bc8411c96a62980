import { Controller, Get, Headers, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiProperty, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { MachineClient, MachineClientRequest } from '../../shared/access/machine-clients.js';
import { forbidden } from '../../shared/domain/domain-error.js';
import { ReadsProjections } from '../../shared/http/consistency.interceptor.js';
import { ForMachineClients } from '../../shared/http/machine-client-route.js';
import { type PageRequest, Paging } from '../../shared/http/paging.js';
import { FeedService, parseCursor } from '../application/feed.service.js';
import { FeedStreams } from './feed-streams.js';

class FeedEntryDto {
  @ApiProperty({ enum: ['1.0'] }) specversion!: string;
  @ApiProperty({ description: '事件标识（重复投递时相同）' }) id!: string;
  @ApiProperty({ example: '/preschool/410000' }) source!: string;
  @ApiProperty({ example: 'cn.preschool.record.numbered.v1' }) type!: string;
  @ApiProperty({ example: 'records/0d6c…' }) subject!: string;
  @ApiProperty() time!: string;
  @ApiProperty({ enum: ['application/json'] }) datacontenttype!: string;
  @ApiProperty({ description: '从此条之后继续：?after=<cursor>' }) cursor!: string;
  @ApiProperty({ description: '{ entity, id, kind, keys, change?, representation }（见 docs/feed.md）', type: 'object', additionalProperties: true }) data!: Record<string, unknown>;
}

class FeedPageDto {
  @ApiProperty({ type: [FeedEntryDto] }) entries!: FeedEntryDto[];
  @ApiProperty({ description: '下一页的 after' }) next!: string;
  @ApiProperty({ description: '已读到目前为止的全部变更' }) caughtUp!: boolean;
}

function clientOf(request: FastifyRequest): MachineClient {
  const client = (request as FastifyRequest & MachineClientRequest).machineClient;
  if (!client) throw forbidden('client-only', '数据订阅接口只对接口客户端开放，请使用客户端令牌');
  return client;
}

/** The change feed for machine clients: pages by cursor, and the same as Server-Sent Events. */
@ApiTags('sharing')
@ApiBearerAuth()
@ForMachineClients()
@Controller('feed')
export class FeedController {
  constructor(private readonly feed: FeedService, private readonly streams: FeedStreams) {}

  @Get()
  @ReadsProjections('feed-entities')
  @ApiOperation({ summary: '按日志顺序读取游标之后的变更（接口客户端，按其数据范围和数据档案）' })
  @ApiQuery({ name: 'after', required: false, type: String, description: '上一页的 next 或某条的 cursor；省略则从头读' })
  @ApiQuery({ name: 'limit', required: false, type: Number, description: '每页条数，1-1000，默认 200' })
  @ApiOkResponse({ type: FeedPageDto })
  @ApiResponse({ status: 400, description: '游标或条数有误' })
  @ApiResponse({ status: 401, description: '令牌无效、过期或客户端已吊销' })
  @ApiResponse({ status: 403, description: '不是接口客户端的令牌' })
  read(@Req() request: FastifyRequest, @Query('after') after: string | undefined, @Paging({ defaultLimit: 200, maxLimit: 1000 }) page: PageRequest) {
    return this.feed.page(clientOf(request), parseCursor(after), page.limit);
  }

  @Get('stream')
  @ApiOperation({ summary: '实时变更推送（Server-Sent Events，事件 id 即游标，可用 Last-Event-ID 续传）' })
  @ApiProduces('text/event-stream')
  @ApiQuery({ name: 'after', required: false, type: String, description: '从该游标之后开始（Last-Event-ID 优先）' })
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: '断线重连时浏览器自动带上的最后事件 id' })
  @ApiOkResponse({ description: 'text/event-stream：每个事件的 data 是一条 CloudEvents 条目', content: { 'text/event-stream': { schema: { type: 'string', description: 'Server-Sent Events：id 为游标，data 为一条 CloudEvents 条目（JSON）' } } } })
  @ApiResponse({ status: 400, description: '游标有误' })
  @ApiResponse({ status: 401, description: '令牌无效、过期或客户端已吊销' })
  @ApiResponse({ status: 403, description: '不是接口客户端的令牌' })
  async stream(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Query('after') after: string | undefined, @Headers('last-event-id') lastEventId: string | undefined) {
    const client = clientOf(request);
    const from = lastEventId !== undefined && lastEventId !== '' ? parseCursor(lastEventId, 'Last-Event-ID') : parseCursor(after);
    const token = String(request.headers.authorization).slice(7).trim();
    await this.streams.serve(request, reply, client, token, from);
  }
}

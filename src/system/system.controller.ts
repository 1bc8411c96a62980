import { Controller, Get, HttpCode, Inject, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { AppConfig } from '../config/app-config.js';
import type { EventStore } from '../shared/event-store/event-store.port.js';
import { ProblemException } from '../shared/http/problem.js';
import { ApiProblems } from '../shared/http/openapi.js';
import { Public } from '../shared/http/public.decorator.js';
import type { ActorRequest } from '../shared/http/request-context.js';
import { APP_CONFIG, EVENT_STORE, READ_STORE } from '../shared/infrastructure/tokens.js';
import { type ProjectionLag, ProjectionManager } from '../shared/projections/projection-manager.js';
import type { ReadStore } from '../shared/read-store/read-store.port.js';

@ApiTags('system')
@Public()
@Controller()
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_STORE) private readonly reads: ReadStore,
    private readonly projections: ProjectionManager,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('health')
  @ApiOperation({ summary: '存活检查：进程在响应' })
  @ApiOkResponse({ description: '存活', schema: { type: 'object', required: ['status'], properties: { status: { type: 'string', enum: ['ok'] } } } })
  health(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @HttpCode(200)
  @ApiOperation({ summary: '就绪检查：两个存储都在响应，且每个投影落后日志头不超过 READY_MAX_LAG' })
  @ApiOkResponse({ description: '就绪', schema: { type: 'object', required: ['status', 'checks'], properties: { status: { type: 'string', enum: ['ready'] }, checks: { type: 'object', additionalProperties: true } } } })
  @ApiServiceUnavailableResponse({ description: '未就绪（problem details，含未通过的检查）', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDto' } } } })
  async ready(): Promise<{ status: 'ready'; checks: Record<string, unknown> }> {
    const checks: Record<string, unknown> = {};
    const failures: string[] = [];
    await this.events.ping().then(
      () => (checks['eventStore'] = { status: 'up', kind: this.events.kind }),
      (e: unknown) => {
        checks['eventStore'] = { status: 'down', kind: this.events.kind, error: String(e) };
        failures.push('事件存储不可用');
      },
    );
    await this.reads.ping().then(
      () => (checks['readStore'] = { status: 'up', kind: this.reads.kind }),
      (e: unknown) => {
        checks['readStore'] = { status: 'down', kind: this.reads.kind, error: String(e) };
        failures.push('查询存储不可用');
      },
    );
    if (failures.length === 0) {
      const lag = await this.projections.lag();
      const behind = lag.filter((p) => p.behind > this.config.readyMaxLag || p.state !== 'running');
      checks['projections'] = { status: behind.length === 0 ? 'up' : 'behind', maxLag: this.config.readyMaxLag, lagging: behind.map(brief) };
      if (behind.length > 0) failures.push(`查询数据正在追赶（${behind.map((p) => p.name).join('、')}）`);
    }
    if (failures.length > 0) {
      throw new ProblemException(503, 'not-ready', `服务尚未就绪：${failures.join('；')}`, [], { checks }, { 'Retry-After': '1' });
    }
    return { status: 'ready', checks };
  }
}

@ApiTags('system')
@ApiBearerAuth()
@Controller('system')
export class ProjectionStatusController {
  constructor(private readonly projections: ProjectionManager) {}

  @Get('projections')
  @ApiOperation({ summary: '各投影的位置、日志头、落后多少及从何时起（系统管理员）' })
  @ApiOkResponse({ description: '投影和反应器的进度', schema: { type: 'object', required: ['items', 'reactors'], properties: { items: { type: 'array', items: { type: 'object', additionalProperties: true } }, reactors: { type: 'array', items: { type: 'object', additionalProperties: true } } } } })
  @ApiProblems(403)
  async list(@Req() req: ActorRequest): Promise<{ items: ProjectionLag[]; reactors: Awaited<ReturnType<ProjectionManager['reactorLag']>> }> {
    if (req.actor?.role !== 'admin') throw new ProblemException(403, 'admin-only', '只有系统管理员可以查看投影状态');
    return { items: await this.projections.lag(), reactors: await this.projections.reactorLag() };
  }
}

const brief = (p: ProjectionLag) => ({ name: p.name, state: p.state, behind: p.behind, error: p.error });

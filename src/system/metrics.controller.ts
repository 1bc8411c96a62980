import { createHash, timingSafeEqual } from 'node:crypto';
import { Controller, Get, Header, Headers, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { AppConfig } from '../config/app-config.js';
import { ProblemException } from '../shared/http/problem.js';
import { Public } from '../shared/http/public.decorator.js';
import { APP_CONFIG } from '../shared/infrastructure/tokens.js';
import { ServiceMetrics } from '../shared/metrics/service-metrics.js';

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * Prometheus metrics for a scraper that has no account: it sends METRICS_TOKEN as a bearer
 * token (Prometheus: `authorization: { credentials: … }`). Without a configured token the
 * endpoint is refused, so nothing about the service is public by default.
 */
@ApiTags('system')
@Public()
@Controller()
export class MetricsController {
  constructor(
    private readonly metrics: ServiceMetrics,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('metrics')
  @Header('Cache-Control', 'no-store')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiBearerAuth()
  @ApiProduces('text/plain')
  @ApiOperation({ summary: 'Prometheus 指标（请求速率与耗时、投影位置与延迟、反应器积压、事件写入耗时、导入耗时、登录失败）；以 METRICS_TOKEN 作为 Bearer 令牌访问' })
  @ApiOkResponse({ description: 'metrics in the Prometheus text format 0.0.4', schema: { type: 'string' } })
  @ApiResponse({ status: 401, description: 'no or wrong metrics token (problem details, code metrics-token)' })
  @ApiResponse({ status: 403, description: 'METRICS_TOKEN is not configured (problem details, code metrics-disabled)' })
  async scrape(@Headers('authorization') authorization: string | undefined): Promise<string> {
    const expected = this.config.metricsToken;
    if (!expected) throw new ProblemException(403, 'metrics-disabled', '未配置 METRICS_TOKEN，指标接口已关闭：请在服务配置中设置 METRICS_TOKEN 后重启');
    const sent = authorization?.startsWith('Bearer ') ? authorization.slice(7).trim() : '';
    if (!timingSafeEqual(digest(sent), digest(expected))) {
      throw new ProblemException(401, 'metrics-token', '指标令牌缺失或不正确：请以 Authorization: Bearer <METRICS_TOKEN> 访问', [], {}, { 'WWW-Authenticate': 'Bearer realm="metrics"' });
    }
    return this.metrics.registry.metrics();
  }
}

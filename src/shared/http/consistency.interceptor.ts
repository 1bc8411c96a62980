import { type CallHandler, type ExecutionContext, Inject, Injectable, type NestInterceptor, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { type Observable, from, switchMap } from 'rxjs';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../infrastructure/tokens.js';
import { ProjectionManager } from '../projections/projection-manager.js';
import { ProblemException } from './problem.js';

const READS = 'reads-projections';

/** Names the projections a query reads, so read-your-writes waits only for those. */
export const ReadsProjections = (...names: string[]): MethodDecorator & ClassDecorator => SetMetadata(READS, names);

/**
 * Read your writes: a query sent with `X-Min-Position: <position from a command response>`
 * (or `?minPosition=`) is answered only once its projections have processed that position.
 * The wait is bounded (`X-Wait-Ms`, capped); past it the answer is 503 projection-lagging.
 */
@Injectable()
export class ConsistencyInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly projections: ProjectionManager,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const query = request.query as Record<string, unknown> | undefined;
    const raw = request.headers['x-min-position'] ?? query?.['minPosition'];
    if (raw === undefined) return next.handle();
    const position = Number(raw);
    if (!Number.isSafeInteger(position) || position < 0) {
      throw new ProblemException(400, 'invalid-min-position', 'X-Min-Position 应为命令响应中返回的 position（非负整数）');
    }
    const waitRaw = request.headers['x-wait-ms'];
    const wait = Math.min(waitRaw === undefined ? this.config.consistencyWaitMs : Math.max(0, Number(waitRaw) || 0), this.config.consistencyWaitMaxMs);
    const names = this.reflector.getAllAndOverride<string[] | undefined>(READS, [context.getHandler(), context.getClass()]);
    return from(this.projections.waitFor(position, wait, names)).pipe(
      switchMap((reached) => {
        if (!reached) {
          throw new ProblemException(
            503,
            'projection-lagging',
            `数据正在更新，${wait} 毫秒内未能同步到位置 ${position}，请稍后刷新`,
            [],
            { position, waitedMs: wait },
            { 'Retry-After': '1' },
          );
        }
        return next.handle();
      }),
    );
  }
}

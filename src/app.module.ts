import { type DynamicModule, Module, type Type } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { ScheduleModule } from '@nestjs/schedule';
import { AccountsModule } from './accounts/accounts.module.js';
import type { AppConfig } from './config/app-config.js';
import { OrganisationModule } from './organisation/organisation.module.js';
import { ALL_PROJECTIONS, projectionWorkerScript } from './projection-catalog.js';
import { RecordsModule } from './records/records.module.js';
import { EnrolmentModule } from './enrolment/contracts/index.js';
import { TransfersModule } from './transfers/contracts/index.js';
import { HandoverModule } from './handover/contracts/index.js';
import { AuditModule } from './audit/contracts/index.js';
import { SettingsModule } from './settings/settings.module.js';
import { SharingModule } from './sharing/sharing.module.js';
import { ReportingModule } from './reporting/contracts/index.js';
import { SupervisionModule } from './supervision/contracts/index.js';
import { ConsistencyInterceptor } from './shared/http/consistency.interceptor.js';
import { ProblemFilter } from './shared/http/problem.filter.js';
import { InfrastructureModule } from './shared/infrastructure/infrastructure.module.js';
import type { Logger } from './shared/logging/json-logger.js';
import type { Clock } from './shared/time/clock.js';
import { SystemModule } from './system/system.module.js';

/** The bounded contexts of the service, in the order they are wired. */
export const CONTEXT_MODULES: Array<Type<unknown> | DynamicModule> = [AccountsModule, OrganisationModule, SettingsModule, RecordsModule, SharingModule, EnrolmentModule, TransfersModule, ReportingModule, SupervisionModule, HandoverModule, AuditModule];

export interface AppModuleOptions {
  config: AppConfig;
  logger: Logger;
  /** more modules (tests add fixture contexts) */
  extraModules?: Array<Type<unknown> | DynamicModule>;
  schemaDirs?: string[];
  /** the service's clock (tests pass a SettableClock) */
  clock?: Clock;
}

@Module({})
export class AppModule {
  static register(options: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        // CommandBus and QueryBus only: events are published from the durable log, never the in-process EventBus
        CqrsModule.forRoot(),
        // cron jobs (the month-end snapshot, issue 17; the supervision month-end, issue 19): registered once, here, never in a context module
        ScheduleModule.forRoot(),
        InfrastructureModule.forRoot({
          config: options.config,
          logger: options.logger,
          ...(options.schemaDirs ? { schemaDirs: options.schemaDirs } : {}),
          ...(options.clock ? { clock: options.clock } : {}),
          projectionWorker: { script: projectionWorkerScript(), names: ALL_PROJECTIONS.filter((p) => !p.mainThread).map((p) => p.name) },
        }),
        SystemModule,
        ...CONTEXT_MODULES,
        ...(options.extraModules ?? []),
      ],
      providers: [
        { provide: APP_FILTER, useClass: ProblemFilter },
        { provide: APP_INTERCEPTOR, useClass: ConsistencyInterceptor },
      ],
    };
  }
}

import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { Principal } from '../../../accounts/contracts/index.js';
import type { AppConfig } from '../../../config/app-config.js';
import { type CommandContext, type CommandOutcome, CommandPath } from '../../../shared/command/command-path.js';
import { forbidden, invalid } from '../../../shared/domain/domain-error.js';
import { APP_CONFIG } from '../../../shared/infrastructure/tokens.js';
import { CLOCK, type Clock, isoNow } from '../../../shared/time/clock.js';
import { type CentralAwardState, centralAwardDecider, centralAwardStream } from '../../domain/central-award.decider.js';
import { type FiguresInput, type FundingProjectState, fundingProjectDecider, fundingProjectStream } from '../../domain/funding-project.decider.js';
import { officeLevel, requireOfficeWriter, requireOwnProject } from '../supervision-access.js';

type ProjectOutcome = CommandOutcome<FundingProjectState>;

export interface ProjectFields extends FiguresInput {
  name: string;
  kind: string;
  year: number;
  month: string | null;
}

export class EnterFundingProject extends Command<ProjectOutcome> {
  constructor(readonly principal: Principal, readonly fields: ProjectFields, readonly context: CommandContext) {
    super();
  }
}

/** An office (province, prefecture, county) enters a project of its own. */
@CommandHandler(EnterFundingProject)
export class EnterFundingProjectHandler implements ICommandHandler<EnterFundingProject> {
  constructor(private readonly commands: CommandPath, @Inject(CLOCK) private readonly clock: Clock) {}

  execute({ principal, fields, context }: EnterFundingProject): Promise<ProjectOutcome> {
    requireOfficeWriter(principal, '学前教育项目填报', ['province', 'prefecture', 'county']);
    const projectId = randomUUID();
    return this.commands.start({
      streamId: fundingProjectStream(projectId), decider: fundingProjectDecider, context,
      command: { type: 'EnterProject', projectId, level: officeLevel(principal), divisionCode: principal.divisionCode, ...fields, at: isoNow(this.clock) },
    });
  }
}

export class ReportFundingProject extends Command<ProjectOutcome> {
  constructor(readonly principal: Principal, readonly projectId: string, readonly figures: FiguresInput & { month: string | null }, readonly context: CommandContext) {
    super();
  }
}

/** The monthly update of a project by its own office: an office above reads it, never edits it. */
@CommandHandler(ReportFundingProject)
export class ReportFundingProjectHandler implements ICommandHandler<ReportFundingProject> {
  constructor(private readonly commands: CommandPath, @Inject(CLOCK) private readonly clock: Clock) {}

  execute({ principal, projectId, figures, context }: ReportFundingProject): Promise<ProjectOutcome> {
    requireOfficeWriter(principal, '学前教育项目填报', ['province', 'prefecture', 'county']);
    return this.commands.run({
      streamId: fundingProjectStream(projectId), decider: fundingProjectDecider, context,
      command: { type: 'ReportProject', ...figures, at: isoNow(this.clock) },
      authorise: (state) => requireOwnProject(principal, state),
    });
  }
}

export class EnterCentralAward extends Command<CommandOutcome<CentralAwardState>> {
  constructor(readonly principal: Principal, readonly provinceCode: string, readonly year: number, readonly amount: unknown, readonly context: CommandContext) {
    super();
  }
}

/**
 * Central award funds (中央财政奖补资金): a ministry deployment's ministry enters every
 * province's; a province deployment cannot hear from the ministry's instance, so its own
 * administrator enters the award the province received (ADR 0027).
 */
@CommandHandler(EnterCentralAward)
export class EnterCentralAwardHandler implements ICommandHandler<EnterCentralAward> {
  constructor(private readonly commands: CommandPath, @Inject(APP_CONFIG) private readonly config: AppConfig, @Inject(CLOCK) private readonly clock: Clock) {}

  execute({ principal, provinceCode, year, amount, context }: EnterCentralAward) {
    if (principal.role === 'leader') throw forbidden('leader-read-only', '领导账号只能查看，不能填报或审核');
    if (this.config.deploymentLevel === 'ministry') {
      if (principal.level !== 'ministry') throw forbidden('ministry-only', '中央财政奖补资金由教育部填报');
      if (!/^[1-6][0-9]0000$/.test(provinceCode)) throw invalid([{ field: 'provinceCode', code: 'province-unknown', message: '应为省级行政区划代码，如 410000' }]);
    } else {
      if (principal.level !== 'province' || principal.role !== 'admin') throw forbidden('province-admin-only', '本省收到的中央财政奖补资金由省级系统管理员填报');
      if (provinceCode !== principal.divisionCode) throw invalid([{ field: 'provinceCode', code: 'other-province', message: `只能填报本省（${principal.divisionCode}）收到的资金` }]);
    }
    if (!Number.isInteger(year) || year < 2000 || year > 2100) throw invalid([{ field: 'year', code: 'invalid-year', message: '年度应为 2000-2100 的年份' }]);
    return this.commands.run({
      streamId: centralAwardStream(provinceCode, year), decider: centralAwardDecider, context,
      command: { type: 'EnterCentralAward', provinceCode, year, amount: amount as string, at: isoNow(this.clock) },
    });
  }
}

export const PROJECT_HANDLERS = [EnterFundingProjectHandler, ReportFundingProjectHandler, EnterCentralAwardHandler];

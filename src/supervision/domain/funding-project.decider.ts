import type { Decider, DomainEvent } from '../../shared/domain/decider.js';
import { type FieldError, conflict, invalid, notFound, rule } from '../../shared/domain/domain-error.js';
import { beijingDate } from '../../shared/time/beijing.js';
import { addFen, fenGreater, fenOf } from './fen.js';

/**
 * A preschool project (学前教育项目, domain.md section 9) of one office (province, prefecture or
 * county): its funds by source, what was allocated and spent, progress, updated monthly. Every
 * update is an event naming the month it reports on (the actor is in the metadata). Amounts are
 * fen strings (fen.ts); spent never exceeds allocated, allocated never exceeds the funds.
 */
export const OFFICE_LEVELS = ['province', 'prefecture', 'county'] as const;
export type OfficeLevel = (typeof OFFICE_LEVELS)[number];

export type Funds = {
  central: string;
  provincial: string;
  local: string;
};

export type ProjectFigures = {
  funds: Funds;
  allocated: string;
  spent: string;
  /** whole per cent, 0-100 */
  progress: number;
  note: string;
};

export type FundingProjectEvent =
  | DomainEvent<'FundingProjectEntered', { projectId: string; level: OfficeLevel; divisionCode: string; name: string; kind: string; year: number; month: string } & ProjectFigures & { enteredAt: string }>
  | DomainEvent<'FundingProjectReported', { projectId: string; month: string } & ProjectFigures & { reportedAt: string }>;

/** figures as they come in: amounts as the API gave them, checked by the decider */
export interface FiguresInput {
  funds: { central: unknown; provincial: unknown; local: unknown };
  allocated: unknown;
  spent: unknown;
  progress: number;
  note: string;
}

export type FundingProjectCommand =
  | ({ type: 'EnterProject'; projectId: string; level: OfficeLevel; divisionCode: string; name: string; kind: string; year: number; month: string | null; at: string } & FiguresInput)
  | ({ type: 'ReportProject'; month: string | null; at: string } & FiguresInput);

export interface FundingProjectState extends ProjectFigures {
  exists: boolean;
  projectId: string;
  level: OfficeLevel;
  divisionCode: string;
  name: string;
  year: number;
  lastMonth: string;
}

export const initialFundingProject: FundingProjectState = {
  exists: false, projectId: '', level: 'county', divisionCode: '', name: '', year: 0, lastMonth: '',
  funds: { central: '0', provincial: '0', local: '0' }, allocated: '0', spent: '0', progress: 0, note: '',
};

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
export const monthOf = (at: string): string => beijingDate(at).slice(0, 7);
export const totalFunds = (funds: Funds): string => addFen(funds.central, funds.provincial, funds.local);

/** checked figures and the month reported on (this Beijing month when none is given) */
function checkFigures(input: FiguresInput, month: string | null, at: string, errors: FieldError[]): { figures: ProjectFigures; month: string } {
  const funds = { central: fenOf(input.funds.central, 'funds.central', errors), provincial: fenOf(input.funds.provincial, 'funds.provincial', errors), local: fenOf(input.funds.local, 'funds.local', errors) };
  const allocated = fenOf(input.allocated, 'allocated', errors);
  const spent = fenOf(input.spent, 'spent', errors);
  if (!Number.isInteger(input.progress) || input.progress < 0 || input.progress > 100) errors.push({ field: 'progress', code: 'invalid-progress', message: '进度应为 0-100 的整数（百分比）' });
  if (input.note.length > 500) errors.push({ field: 'note', code: 'note-too-long', message: '备注最多 500 字' });
  const current = monthOf(at);
  const reported = month ?? current;
  if (!MONTH.test(reported)) errors.push({ field: 'month', code: 'invalid-month', message: '月份应写作“2026-10”' });
  else if (reported > current) errors.push({ field: 'month', code: 'month-in-future', message: `不能填报未来月份（本月为 ${current}）` });
  return { figures: { funds, allocated, spent, progress: input.progress, note: input.note.trim() }, month: reported };
}

function checkAmounts(figures: ProjectFigures): void {
  if (fenGreater(figures.allocated, totalFunds(figures.funds))) throw rule('allocated-over-funds', '已下达（拨付）金额不能超过项目资金合计（中央 + 省级 + 地方），请核对');
  if (fenGreater(figures.spent, figures.allocated)) throw rule('spent-over-allocated', '已支出金额不能超过已下达（拨付）金额，请核对');
}

export const fundingProjectDecider: Decider<FundingProjectCommand, FundingProjectState, FundingProjectEvent> = {
  initialState: initialFundingProject,

  decide(command, state) {
    const errors: FieldError[] = [];
    if (command.type === 'EnterProject') {
      if (state.exists) throw conflict('project-exists', '该项目已存在');
      if (command.name.trim().length === 0 || command.name.length > 60) errors.push({ field: 'name', code: 'invalid-name', message: '项目名称应为 1-60 个字' });
      if (command.kind.trim().length === 0 || command.kind.length > 30) errors.push({ field: 'kind', code: 'invalid-kind', message: '项目类别应为 1-30 个字' });
      if (!Number.isInteger(command.year) || command.year < 2000 || command.year > 2100) errors.push({ field: 'year', code: 'invalid-year', message: '年度应为 2000-2100 的年份' });
      const { figures, month } = checkFigures(command, command.month, command.at, errors);
      if (errors.length > 0) throw invalid(errors, '项目信息有误，请按提示修改');
      checkAmounts(figures);
      const { projectId, level, divisionCode, name, kind, year, at } = command;
      return [{ type: 'FundingProjectEntered', data: { projectId, level, divisionCode, name: name.trim(), kind: kind.trim(), year, month, ...figures, enteredAt: at } }];
    }
    if (!state.exists) throw notFound('project-not-found', '项目不存在或不在您的管辖范围内');
    const { figures, month } = checkFigures(command, command.month, command.at, errors);
    if (errors.length > 0) throw invalid(errors, '填报内容有误，请按提示修改');
    if (month < state.lastMonth) throw rule('month-before-last', `该项目已填报到 ${state.lastMonth}，不能再填报更早的 ${month}`);
    checkAmounts(figures);
    return [{ type: 'FundingProjectReported', data: { projectId: state.projectId, month, ...figures, reportedAt: command.at } }];
  },

  evolve(state, event) {
    switch (event.type) {
      case 'FundingProjectEntered': {
        const { projectId, level, divisionCode, name, year, month, funds, allocated, spent, progress, note } = event.data;
        return { exists: true, projectId, level, divisionCode, name, year, lastMonth: month, funds, allocated, spent, progress, note };
      }
      case 'FundingProjectReported': {
        const { month, funds, allocated, spent, progress, note } = event.data;
        return { ...state, lastMonth: month, funds, allocated, spent, progress, note };
      }
      default:
        return state;
    }
  },
};

export const fundingProjectStream = (projectId: string): string => `funding-project-${projectId}`;

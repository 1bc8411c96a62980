import type { Decider, DomainEvent } from '../../shared/domain/decider.js';
import { beijingDate } from '../../shared/time/beijing.js';
import { type FieldError, conflict, invalid, rule } from '../../shared/domain/domain-error.js';
import type { InstitutionType } from './institution.decider.js';

/** NBS urban-rural categories (城乡分类代码, data-standards.md 3.10). */
export const URBAN_RURAL_CODES = ['111', '112', '121', '122', '123', '210', '220'] as const;
export const BUILDING_TENURES = ['self-built', 'rented', 'borrowed', 'other'] as const;

export type BasicInformation = {
  address: string;
  principalName: string;
  phone: string;
  urbanRuralCode: (typeof URBAN_RURAL_CODES)[number];
};

export type Building = {
  name: string;
  tenure: (typeof BUILDING_TENURES)[number];
  /** floor area in square metres */
  area: number;
  builtYear: number;
};

export type RunningConditions = {
  siteArea: number;
  buildingArea: number;
  playgroundArea: number;
  classrooms: number;
};

export type FilingContent = {
  basic: BasicInformation;
  /** optional for an attached kindergarten (附设幼儿园) */
  buildings: Building[];
  conditions: RunningConditions | null;
};

export type FilingEvent =
  | DomainEvent<'InstitutionFilingSubmitted', FilingContent & { code: string; divisionCode: string; version: number; submittedAt: string }>
  | DomainEvent<'InstitutionFilingApproved', { code: string; version: number; approvedAt: string }>
  | DomainEvent<'InstitutionFilingRejected', { code: string; version: number; rejectedAt: string }>;

export type FilingCommand =
  | { type: 'SubmitFiling'; code: string; divisionCode: string; institutionType: InstitutionType; content: FilingContent; at: string }
  | { type: 'ApproveFiling'; code: string; version: number; at: string }
  | { type: 'RejectFiling'; code: string; version: number; reason: string; at: string };

export interface FilingState {
  version: number;
  /** the version waiting for the county, null when nothing waits */
  pending: number | null;
  approvedVersion: number | null;
}

/** What is missing or wrong in a filing, by field; building and conditions are optional for attached kindergartens. */
export function checkFiling(content: FilingContent, institutionType: InstitutionType, at: string): FieldError[] {
  const errors: FieldError[] = [];
  // "this year" is the Beijing year: on 1 January at 07:00 in China a building finished this year is not in the future
  const year = Number(beijingDate(at).slice(0, 4));
  if (institutionType !== 'attached-kindergarten') {
    if (content.buildings.length === 0) errors.push({ field: 'buildings', code: 'buildings-required', message: '请至少填写一栋建筑的信息（附设幼儿园可不填）' });
    if (!content.conditions) errors.push({ field: 'conditions', code: 'conditions-required', message: '请填写办学条件（附设幼儿园可不填）' });
  }
  content.buildings.forEach((b, i) => {
    if (b.builtYear > year) errors.push({ field: `buildings[${i}].builtYear`, code: 'year-in-future', message: `第 ${i + 1} 栋建筑的建成年份不能晚于今年`, value: b.builtYear });
  });
  const c = content.conditions;
  if (c && c.buildingArea > c.siteArea) errors.push({ field: 'conditions.buildingArea', code: 'building-exceeds-site', message: '建筑面积（占地）不应大于园舍占地面积，请核对', value: c.buildingArea });
  return errors;
}

export const filingDecider: Decider<FilingCommand, FilingState, FilingEvent> = {
  initialState: { version: 0, pending: null, approvedVersion: null },

  decide(command, state) {
    switch (command.type) {
      case 'SubmitFiling': {
        // resubmission is allowed at any time, also after approval: the county reviews the new version
        const errors = checkFiling(command.content, command.institutionType, command.at);
        if (errors.length > 0) throw invalid(errors, '机构信息填写不完整或有误，请按提示修改后再提交');
        return [{
          type: 'InstitutionFilingSubmitted',
          data: { ...command.content, code: command.code, divisionCode: command.divisionCode, version: state.version + 1, submittedAt: command.at },
        }];
      }
      case 'ApproveFiling':
      case 'RejectFiling': {
        if (state.pending === null) throw rule('no-filing-pending', '该机构没有待审核的填报');
        if (command.version !== state.pending) {
          throw conflict('filing-version-changed', `机构已重新提交（当前待审核的是第 ${state.pending} 版），请查看最新内容后再审核`, { pendingVersion: state.pending });
        }
        return command.type === 'ApproveFiling'
          ? [{ type: 'InstitutionFilingApproved', data: { code: command.code, version: command.version, approvedAt: command.at } }]
          : [{ type: 'InstitutionFilingRejected', data: { code: command.code, version: command.version, rejectedAt: command.at }, reason: command.reason }];
      }
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'InstitutionFilingSubmitted':
        return { ...state, version: event.data.version, pending: event.data.version };
      case 'InstitutionFilingApproved':
        return { ...state, pending: null, approvedVersion: event.data.version };
      case 'InstitutionFilingRejected':
        return { ...state, pending: null };
      default:
        return state;
    }
  },
};

export const filingStream = (code: string): string => `institution-filing-${code}`;

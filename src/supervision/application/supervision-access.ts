import type { Principal } from '../../accounts/contracts/index.js';
import { covers, jurisdictionFilter } from '../../shared/access/jurisdiction.js';
import { forbidden, notFound } from '../../shared/domain/domain-error.js';
import type { Filter } from '../../shared/read-store/read-store.port.js';
import type { DeclarationState } from '../domain/declaration.decider.js';
import type { FundingProjectState, OfficeLevel } from '../domain/funding-project.decider.js';

/**
 * Who may do what in supervision (domain.md sections 3 and 9):
 * - an institution's business account declares, withdraws and resubmits its own declarations;
 * - the county's business and review accounts handle its institutions' declarations;
 * - the province's business and review accounts define declaration kinds and delegate that to
 *   counties, which then define kinds for their own institutions;
 * - each office's business and review accounts enter and update their own office's projects;
 *   an office above sees (never edits) the projects of its jurisdiction;
 * - leader accounts (领导账号) read lists, totals and exports, and write nothing;
 * - central award funds: the ministry on a ministry deployment, the province's administrator on a
 *   province deployment (ADR 0027).
 * Role first (403), then the same 404 for an absent target and one outside the caller's reach.
 */
export const DECLARATION_NOT_FOUND = '异动申报不存在或不在您的管辖范围内';
export const PROJECT_NOT_FOUND = '项目不存在或不在您的管辖范围内';

function refuseLeader(principal: Principal): void {
  if (principal.role === 'leader') throw forbidden('leader-read-only', '领导账号只能查看，不能填报或审核');
}

export function requireInstitutionBusiness(principal: Principal, action: string): string {
  refuseLeader(principal);
  if (principal.level !== 'institution' || !principal.institutionCode) throw forbidden('institution-only', `${action}由幼儿园的业务账号办理`);
  if (principal.role !== 'business') throw forbidden('business-account-only', `${action}须使用本园的业务账号`);
  return principal.institutionCode;
}

/** an office's business or review account (they have the same powers today, domain.md section 3) */
export function requireOfficeWriter(principal: Principal, action: string, levels: readonly string[] = ['ministry', 'province', 'prefecture', 'county']): void {
  refuseLeader(principal);
  if (principal.level === 'institution' || !levels.includes(principal.level)) throw forbidden('office-only', `${action}由${levels.map(levelName).join('、')}教育部门办理`);
  if (principal.role !== 'business' && principal.role !== 'review') throw forbidden('business-account-only', `${action}须使用业务账号或审核账号`);
}

export function requireOwnDeclaration(principal: Principal, state: DeclarationState): void {
  if (state.status === 'none' || state.institutionCode !== principal.institutionCode) throw notFound('declaration-not-found', DECLARATION_NOT_FOUND);
}

export function requireCountyHandler(principal: Principal, state: DeclarationState): void {
  requireOfficeWriter(principal, '异动申报的审核和阅知', ['county']);
  if (state.status === 'none' || !covers(principal, state)) throw notFound('declaration-not-found', DECLARATION_NOT_FOUND);
}

/** the declarations the caller sees: an institution its own, an office its jurisdiction's */
export const declarationScope = (principal: Principal): Filter => jurisdictionFilter(principal, 'institutionCode');

export function officeLevel(principal: Principal): OfficeLevel {
  if (principal.level === 'province' || principal.level === 'prefecture' || principal.level === 'county') return principal.level;
  throw forbidden('project-office-only', '学前教育项目由省、市、县三级教育部门各自填报');
}

/** 404 outside the caller's jurisdiction; 403 for a project of another office within it (an office above reads, never edits) */
export function requireOwnProject(principal: Principal, state: FundingProjectState): void {
  if (!state.exists || principal.level === 'institution' || !covers(principal, state)) throw notFound('project-not-found', PROJECT_NOT_FOUND);
  if (principal.level !== state.level || principal.divisionCode !== state.divisionCode) throw forbidden('not-own-project', '只能修改本单位填报的项目；下级单位的项目由其自行更新');
}

/** the projects the caller sees: an office's own and those below it; institutions see none */
export function projectScope(principal: Principal): Filter {
  if (principal.level === 'institution') throw forbidden('office-only', '学前教育项目由各级教育部门查看');
  return jurisdictionFilter(principal, 'institutionCode');
}

export function levelName(level: string): string {
  return ({ ministry: '教育部', province: '省级', prefecture: '地市级', county: '县级', institution: '幼儿园' } as Record<string, string>)[level] ?? level;
}

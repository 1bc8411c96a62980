import { type Placement, type Role, levelRank } from './account.js';

export interface Actor extends Placement {
  accountId: string;
  role: Role;
}

export interface Target extends Placement {
  accountId: string;
  role: Role;
}

/** Is division `code` the division `ancestor` or below it (the caller supplies the division tree). */
export type WithinDivision = (code: string, ancestor: string) => boolean;

/**
 * Who may reset whose password (domain.md section 3): a system administrator resets the other
 * accounts of its own organisation (not another administrator's) and every account of the
 * levels below it within its jurisdiction, administrators included; so an administrator's own
 * password is reset from the level above, the province's by the ministry.
 */
export function mayResetPassword(actor: Actor, target: Target, within: WithinDivision): boolean {
  if (actor.role !== 'admin' || actor.accountId === target.accountId) return false;
  const sameOrganisation = actor.level === target.level && actor.divisionCode === target.divisionCode && actor.institutionCode === target.institutionCode;
  if (sameOrganisation) return target.role !== 'admin';
  if (levelRank(target.level) <= levelRank(actor.level)) return false;
  return within(target.divisionCode, actor.divisionCode);
}

import { administers, sameOrganisation } from '../../shared/access/jurisdiction.js';
import type { Placement, Role } from './account.js';

export interface Actor extends Placement {
  accountId: string;
  role: Role;
}

export interface Target extends Placement {
  accountId: string;
  role: Role;
}

/**
 * Who may reset whose password (domain.md section 3): a system administrator resets the other
 * accounts of its own organisation (not another administrator's) and every account of the
 * levels below it within its jurisdiction, administrators included; so an administrator's own
 * password is reset from the level above, the province's by the ministry. Which organisations
 * an administrator reaches is the kernel's `administers`.
 */
export function mayResetPassword(actor: Actor, target: Target): boolean {
  if (actor.role !== 'admin' || actor.accountId === target.accountId) return false;
  if (sameOrganisation(actor, target)) return target.role !== 'admin';
  return administers(actor, target);
}

import type { FieldError } from '../../shared/domain/domain-error.js';

/** Password and login policy of the deployment; values come from configuration. */
export interface AccountPolicy {
  minLength: number;
  /** how many of: lower case, upper case, digits, other characters */
  minCharacterClasses: number;
  /** a password older than this must be changed at the next login */
  maxAgeDays: number;
  /** a new password may not equal any of the last N */
  historySize: number;
  sessionHours: number;
}

export const DEFAULT_POLICY: AccountPolicy = {
  minLength: 8,
  minCharacterClasses: 3,
  maxAgeDays: 90,
  historySize: 5,
  sessionHours: 8,
};

/**
 * Checks a new password against the policy; every failed rule is one field error, in Chinese.
 * `isCommon` tells the shipped list of common passwords (the caller reads it; the domain does no I/O).
 */
export function checkPasswordStrength(password: string, policy: AccountPolicy, username?: string, isCommon: (password: string) => boolean = () => false): FieldError[] {
  const errors: FieldError[] = [];
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(password)).length;
  if (password.length < policy.minLength) {
    errors.push({ field: 'newPassword', code: 'password-too-short', message: `密码至少需要 ${policy.minLength} 位` });
  }
  if (classes < policy.minCharacterClasses) {
    errors.push({ field: 'newPassword', code: 'password-too-simple', message: `密码需包含大写字母、小写字母、数字、其他符号中的至少 ${policy.minCharacterClasses} 类` });
  }
  if (username && password.toLowerCase().includes(username.toLowerCase())) {
    errors.push({ field: 'newPassword', code: 'password-contains-username', message: '密码不能包含账号名' });
  }
  if (isCommon(password)) {
    errors.push({ field: 'newPassword', code: 'password-common', message: '该密码是最常见、最易被猜中的密码之一（大小写不同也算），请换一个' });
  }
  if (password.length > 128) errors.push({ field: 'newPassword', code: 'password-too-long', message: '密码不能超过 128 位' });
  return errors;
}

export function passwordExpired(changedAt: string | null, at: string, policy: AccountPolicy): boolean {
  if (!changedAt) return true;
  return Date.parse(at) - Date.parse(changedAt) > policy.maxAgeDays * 86_400_000;
}

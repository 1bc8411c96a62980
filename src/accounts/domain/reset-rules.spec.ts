import { describe, expect, it } from '@jest/globals';
import type { Level, Role } from './account.js';
import { mayResetPassword } from './reset-rules.js';

let n = 0;
const who = (level: Level, role: Role, divisionCode: string, institutionCode: string | null = null) => ({ accountId: `a${n++}`, level, role, divisionCode, institutionCode });

const ministryAdmin = who('ministry', 'admin', '000000');
const provinceAdmin = who('province', 'admin', '410000');
const provinceReview = who('province', 'review', '410000');
const countyAdmin = who('county', 'admin', '410102');
const countyBusiness = who('county', 'business', '410102');
const otherCountyAdmin = who('county', 'admin', '410103');
const kgAdmin = who('institution', 'admin', '410102', '1141010001');
const kgReview = who('institution', 'review', '410102', '1141010001');
const otherKgReview = who('institution', 'review', '410102', '1141010002');
const farKgAdmin = who('institution', 'admin', '410103', '1141010009');

describe('who may reset a password', () => {
  it('an administrator resets the non-administrator accounts of its own organisation', () => {
    expect(mayResetPassword(kgAdmin, kgReview)).toBe(true);
    expect(mayResetPassword(countyAdmin, countyBusiness)).toBe(true);
    expect(mayResetPassword(provinceAdmin, provinceReview)).toBe(true);
  });
  it('not another administrator of the same level, and not its own', () => {
    expect(mayResetPassword(countyAdmin, otherCountyAdmin)).toBe(false);
    expect(mayResetPassword(countyAdmin, countyAdmin)).toBe(false);
  });
  it('every account below it in its jurisdiction, administrators included', () => {
    expect(mayResetPassword(countyAdmin, kgAdmin)).toBe(true);
    expect(mayResetPassword(countyAdmin, kgReview)).toBe(true);
    expect(mayResetPassword(provinceAdmin, countyAdmin)).toBe(true);
    expect(mayResetPassword(provinceAdmin, farKgAdmin)).toBe(true);
    expect(mayResetPassword(ministryAdmin, provinceAdmin)).toBe(true);
  });
  it('nothing outside its jurisdiction, and nothing for a non-administrator', () => {
    expect(mayResetPassword(countyAdmin, farKgAdmin)).toBe(false);
    expect(mayResetPassword(kgAdmin, otherKgReview)).toBe(false);
    expect(mayResetPassword(countyBusiness, kgReview)).toBe(false);
    expect(mayResetPassword(kgAdmin, countyBusiness)).toBe(false);
  });
});

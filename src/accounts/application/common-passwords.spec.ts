import { describe, expect, it } from '@jest/globals';
import { isCommonPassword } from './common-passwords.js';

describe('the shipped list of common passwords', () => {
  it('knows the favourites, whatever their case', () => {
    for (const p of ['Password1!', 'Admin@123', 'P@ssw0rd', 'pASSWORD1!', 'Woaini1314', 'Qwerty123!', '1qaz@WSX', 'Aa123456']) expect(isCommonPassword(p)).toBe(true);
  });
  it('lets an uncommon password through', () => {
    expect(isCommonPassword('Zhongyuan#Kinder7')).toBe(false);
  });
});

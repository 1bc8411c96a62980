import { describe, expect, it } from '@jest/globals';
import { loadConfig } from '../../config/app-config.js';
import { SettableClock } from '../../shared/time/clock.js';
import { LoginThrottle, ProgressiveThrottle } from './login-throttle.js';

const MINUTE = 60_000;

describe('ProgressiveThrottle', () => {
  it('lets the free failures pass, then doubles the refusal up to the maximum', () => {
    const throttle = new ProgressiveThrottle({ free: 3, windowMs: 60 * MINUTE, baseMs: MINUTE, maxMs: 4 * MINUTE });
    let now = 0;
    expect(throttle.fail('k', now)).toBeNull();
    expect(throttle.fail('k', now)).toBeNull();
    expect(throttle.fail('k', now)).toBe(MINUTE);
    expect(throttle.blockedUntil('k', now + MINUTE - 1)).toBe(MINUTE);
    expect(throttle.blockedUntil('k', now + MINUTE)).toBeNull();
    now += MINUTE;
    expect(throttle.fail('k', now)).toBe(now + 2 * MINUTE);
    now += 2 * MINUTE;
    expect(throttle.fail('k', now)).toBe(now + 4 * MINUTE);
    now += 4 * MINUTE;
    expect(throttle.fail('k', now)).toBe(now + 4 * MINUTE);
  });

  it('forgets failures older than its window, and the least recent keys past its capacity', () => {
    const throttle = new ProgressiveThrottle({ free: 2, windowMs: 10 * MINUTE, baseMs: MINUTE, maxMs: MINUTE }, 2);
    throttle.fail('a', 0);
    expect(throttle.fail('a', 11 * MINUTE)).toBeNull();
    throttle.fail('b', 0);
    throttle.fail('c', 0); // a, set least recently, is forgotten
    expect(throttle.fail('a', 12 * MINUTE)).toBeNull();
    expect(throttle.fail('a', 12 * MINUTE)).toBe(13 * MINUTE);
  });
});

describe('LoginThrottle', () => {
  const clock = new SettableClock('2026-09-01T00:00:00.000Z');
  const make = () => new LoginThrottle({ ...loadConfig({}), loginFreeFailures: 2, loginAccountFreeFailures: 4, loginAddressFreeFailures: 3 }, clock);

  it('slows one address guessing one account without refusing the account elsewhere', () => {
    const throttle = make();
    throttle.failed('1141010001-business', '203.0.113.9');
    expect(throttle.failed('1141010001-business', '203.0.113.9')).toBeNull();
    expect(throttle.refusedUntil('1141010001-Business', '203.0.113.9')).toEqual(new Date('2026-09-01T00:01:00.000Z'));
    expect(throttle.refusedUntil('1141010001-business', '198.51.100.7')).toBeNull();
  });

  it('refuses the account for everyone only after failures from many addresses, until an administrator lifts it', () => {
    const throttle = make();
    for (const address of ['10.0.0.1', '10.0.0.2', '10.0.0.3']) expect(throttle.failed('kg-review', address)).toBeNull();
    expect(throttle.failed('kg-review', '10.0.0.4')).toEqual(new Date('2026-09-01T00:01:00.000Z'));
    expect(throttle.refusedUntil('kg-review', '198.51.100.7')).not.toBeNull();
    throttle.lift('KG-review');
    expect(throttle.refusedUntil('kg-review', '198.51.100.7')).toBeNull();
  });

  it('refuses an address spraying many accounts, and treats an unknown name like any other', () => {
    const throttle = make();
    for (const user of ['a', 'b', 'nobody-at-all']) throttle.failed(user, '203.0.113.9');
    expect(throttle.refusedUntil('someone-else', '203.0.113.9')).not.toBeNull();
    expect(throttle.refusedUntil('someone-else', '198.51.100.7')).toBeNull();
  });
});

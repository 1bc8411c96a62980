import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../shared/infrastructure/tokens.js';
import { CLOCK, type Clock } from '../../shared/time/clock.js';
import { normaliseUsername } from '../domain/username.decider.js';

interface Rule {
  /** failures within the window before the first delay */
  free: number;
  windowMs: number;
  baseMs: number;
  maxMs: number;
}

interface Entry {
  /** failure instants (ms) within the window, oldest first */
  failures: number[];
  until: number;
}

/**
 * Growing delays per key: past `free` failures within the window, each failure refuses the key
 * for base * 2^(failures - free), up to the maximum. Bounded: the least recently failed keys are
 * forgotten first.
 */
export class ProgressiveThrottle {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly rule: Rule, private readonly capacity = 100_000) {}

  blockedUntil(key: string, now: number): number | null {
    const until = this.entries.get(key)?.until ?? 0;
    return until > now ? until : null;
  }

  /** Counts a failure; returns the end of the refusal it starts, if any. */
  fail(key: string, now: number): number | null {
    const entry = this.entries.get(key) ?? { failures: [], until: 0 };
    entry.failures = entry.failures.filter((t) => t > now - this.rule.windowMs).slice(-(this.rule.free + 32));
    entry.failures.push(now);
    const beyond = entry.failures.length - this.rule.free;
    if (beyond >= 0) entry.until = now + Math.min(this.rule.baseMs * 2 ** beyond, this.rule.maxMs);
    this.entries.delete(key);
    this.entries.set(key, entry);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    return entry.until > now ? entry.until : null;
  }

  clear(predicate: (key: string) => boolean): void {
    for (const key of this.entries.keys()) if (predicate(key)) this.entries.delete(key);
  }
}

const HOUR = 3_600_000;

/**
 * Failed-login throttling (ADR 13), in memory, keyed by the typed username whether or not an
 * account has it, so an unknown name answers exactly like an existing one:
 * - one account from one address: a guesser is slowed after a few failures, the holder elsewhere is not;
 * - one account from all addresses (per hour): only a guess spread over many addresses refuses the
 *   account for everyone; the account stream records that (AccountLocked) and a reset lifts it;
 * - one address over all accounts (per hour): spraying one password over many usernames.
 */
@Injectable()
export class LoginThrottle {
  private readonly pair: ProgressiveThrottle;
  private readonly account: ProgressiveThrottle;
  private readonly address: ProgressiveThrottle;

  constructor(@Inject(APP_CONFIG) config: AppConfig, @Inject(CLOCK) private readonly clock: Clock) {
    const delays = { baseMs: config.loginDelayBaseSeconds * 1000, maxMs: config.loginDelayMaxSeconds * 1000 };
    this.pair = new ProgressiveThrottle({ free: config.loginFreeFailures, windowMs: 24 * HOUR, ...delays });
    this.account = new ProgressiveThrottle({ free: config.loginAccountFreeFailures, windowMs: HOUR, ...delays });
    this.address = new ProgressiveThrottle({ free: config.loginAddressFreeFailures, windowMs: HOUR, ...delays });
  }

  /** When the attempt is refused: the latest end of the refusals that apply, or null. */
  refusedUntil(username: string, address: string | null): Date | null {
    const now = this.clock.now().getTime();
    const user = normaliseUsername(username);
    const ends = [this.account.blockedUntil(user, now)];
    if (address !== null) ends.push(this.pair.blockedUntil(pairKey(user, address), now), this.address.blockedUntil(address, now));
    const latest = Math.max(0, ...ends.map((e) => e ?? 0));
    return latest > 0 ? new Date(latest) : null;
  }

  /** Counts a failed password; returns when the account itself (for everyone) is refused until, if it now is. */
  failed(username: string, address: string | null): Date | null {
    const now = this.clock.now().getTime();
    const user = normaliseUsername(username);
    if (address !== null) {
      this.pair.fail(pairKey(user, address), now);
      this.address.fail(address, now);
    }
    const until = this.account.fail(user, now);
    return until === null ? null : new Date(until);
  }

  /** The right password: the account's own counts start again (the address keeps its count). */
  succeeded(username: string, address: string | null): void {
    const user = normaliseUsername(username);
    this.account.clear((key) => key === user);
    if (address !== null) this.pair.clear((key) => key === pairKey(user, address));
  }

  /** An administrator's password reset lifts every refusal of the account. */
  lift(username: string): void {
    const user = normaliseUsername(username);
    this.account.clear((key) => key === user);
    this.pair.clear((key) => key.startsWith(`${user}\u0000`));
  }
}

const pairKey = (user: string, address: string): string => `${user}\u0000${address}`;

/**
 * The service's only source of "now". Handlers read it once per command and pass the instant to
 * the decider as `at`; nothing below reads the system time itself, so tests set the clock instead
 * of sleeping or depending on the day they run.
 */
export interface Clock {
  now(): Date;
}

export const CLOCK = Symbol('Clock');

export const systemClock: Clock = { now: () => new Date() };

/** A clock tests set and move forward. */
export class SettableClock implements Clock {
  private at: number;

  constructor(at: Date | string = new Date()) {
    this.at = new Date(at).getTime();
  }

  now(): Date {
    return new Date(this.at);
  }

  set(at: Date | string): void {
    this.at = new Date(at).getTime();
  }

  advance(ms: number): void {
    this.at += ms;
  }
}

/** The instant as stored in events and commands (`at`). */
export const isoNow = (clock: Clock): string => clock.now().toISOString();

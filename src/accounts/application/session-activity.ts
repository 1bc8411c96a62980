import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../shared/infrastructure/tokens.js';
import { CLOCK, type Clock } from '../../shared/time/clock.js';
import type { LiveSession } from '../domain/account.js';

/**
 * When each live session was last used, in memory (ADR 13): a request must not append an event.
 * A session this process has not seen yet (after a restart) counts from the later of its start
 * and the process's start, so a restart neither ends active sessions nor revives an idle one for
 * longer than one idle period.
 */
@Injectable()
export class SessionActivity {
  private readonly lastSeen = new Map<string, number>();
  private readonly startedAt: number;
  private readonly idleMs: number;

  constructor(@Inject(APP_CONFIG) config: AppConfig, @Inject(CLOCK) private readonly clock: Clock) {
    this.startedAt = clock.now().getTime();
    this.idleMs = config.sessionIdleMinutes * 60_000;
  }

  get idleMinutes(): number {
    return this.idleMs / 60_000;
  }

  isIdle(session: LiveSession): boolean {
    const seen = this.lastSeen.get(session.sessionId) ?? Math.max(Date.parse(session.startedAt), this.startedAt);
    return this.clock.now().getTime() - seen > this.idleMs;
  }

  touch(sessionId: string): void {
    const now = this.clock.now().getTime();
    this.lastSeen.delete(sessionId);
    this.lastSeen.set(sessionId, now);
    // sessions that ended elsewhere (expiry, kick-out) are dropped once idle: oldest first
    for (const [id, seen] of this.lastSeen) {
      if (this.lastSeen.size <= 50_000 && now - seen <= this.idleMs) break;
      this.lastSeen.delete(id);
    }
  }

  forget(sessionId: string): void {
    this.lastSeen.delete(sessionId);
  }
}

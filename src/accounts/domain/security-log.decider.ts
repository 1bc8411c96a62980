import type { Decider, DomainEvent } from '../../shared/domain/decider.js';

/**
 * Security events that belong to no account (issue 21, item 6): a login with a username nobody
 * holds. One stream per Beijing day, so the stream name carries nothing typed by the client; the
 * username is kept as a keyed hash only (a password typed into the username field must not be
 * stored), which still shows one name being tried from many addresses. The client's address is in
 * the event's metadata, as on every security event.
 */
export type SecurityLogEvent = DomainEvent<'LoginFailedForUnknownAccount', { usernameHash: string; failedAt: string }>;
export type SecurityLogCommand = { type: 'RecordUnknownAccountLogin'; usernameHash: string; at: string };

export const securityLogDecider: Decider<SecurityLogCommand, Record<string, never>, SecurityLogEvent> = {
  initialState: {},
  decide: (command) => [{ type: 'LoginFailedForUnknownAccount', data: { usernameHash: command.usernameHash, failedAt: command.at } }],
  evolve: (state) => state,
};

/** `day`: the Beijing date, YYYY-MM-DD. */
export const securityLogStream = (day: string): string => `security-log-${day.replaceAll('-', '')}`;

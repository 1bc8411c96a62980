import type { Decider, DomainEvent } from '../../shared/domain/decider.js';
import { conflict } from '../../shared/domain/domain-error.js';

/**
 * One stream per normalised username: reserving it with "no stream" is what makes usernames
 * unique under concurrency (architecture rule 4), and it is how a login finds the account.
 */
export type UsernameEvent = DomainEvent<'UsernameReserved', { username: string; accountId: string; reservedAt: string }>;
export type UsernameCommand = { type: 'ReserveUsername'; username: string; accountId: string; at: string };
export type UsernameState = { accountId: string | null };

export const normaliseUsername = (username: string): string => username.trim().normalize('NFKC').toLowerCase();
export const usernameStream = (username: string): string => `username-${normaliseUsername(username)}`;

export const usernameDecider: Decider<UsernameCommand, UsernameState, UsernameEvent> = {
  initialState: { accountId: null },
  decide(command, state) {
    if (state.accountId === command.accountId) return [];
    if (state.accountId !== null) throw conflict('username-taken', `账号名 ${command.username} 已被使用，请换一个`);
    return [{ type: 'UsernameReserved', data: { username: normaliseUsername(command.username), accountId: command.accountId, reservedAt: command.at } }];
  },
  evolve: (_state, event) => ({ accountId: event.data.accountId }),
};

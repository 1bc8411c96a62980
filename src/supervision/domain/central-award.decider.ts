import type { Decider, DomainEvent } from '../../shared/domain/decider.js';
import { parseFen } from './fen.js';

/**
 * A province's central award funds (中央财政奖补资金) for a year, in fen: entered by the ministry
 * on a ministry deployment, by the province's administrator (the award it received) on a
 * province deployment (ADR 0027). One stream per province and year; a correction is a new entry,
 * the earlier ones stay in the history. The same amount again changes nothing.
 */
export type CentralAwardEvent = DomainEvent<'CentralAwardFundsEntered', { provinceCode: string; year: number; amount: string; enteredAt: string }>;

export type CentralAwardCommand = { type: 'EnterCentralAward'; provinceCode: string; year: number; amount: string; at: string };

export interface CentralAwardState {
  amount: string | null;
}

export const centralAwardDecider: Decider<CentralAwardCommand, CentralAwardState, CentralAwardEvent> = {
  initialState: { amount: null },

  decide(command, state) {
    const amount = parseFen(command.amount, 'amount');
    if (state.amount === amount) return [];
    return [{ type: 'CentralAwardFundsEntered', data: { provinceCode: command.provinceCode, year: command.year, amount, enteredAt: command.at } }];
  },

  evolve(state, event) {
    return event.type === 'CentralAwardFundsEntered' ? { amount: event.data.amount } : state;
  },
};

export const centralAwardStream = (provinceCode: string, year: number): string => `central-award-${provinceCode}-${year}`;

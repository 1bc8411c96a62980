import type { Decider, DomainEvent } from '../../shared/domain/decider.js';
import { invalid } from '../../shared/domain/domain-error.js';
import { type Division, type DivisionTree, defaultDivisionTree } from './divisions.js';

/**
 * Custom divisions (自定义行政区划, e.g. a development zone): county-level, under a prefecture,
 * created only by the ministry on a province's request. One stream holds them all.
 */
export type CustomDivisionEvent = DomainEvent<'CustomDivisionCreated', { code: string; name: string; parent: string; createdAt: string }>;
export type CustomDivisionCommand = { type: 'CreateCustomDivision'; code: string; name: string; parent: string; reason: string; at: string };
export type CustomDivisionState = { divisions: Division[] };

export const CUSTOM_DIVISIONS_STREAM = 'custom-divisions';

export function treeWith(custom: readonly Division[], base: DivisionTree = defaultDivisionTree()): DivisionTree {
  return custom.reduce((tree, division) => tree.withCustom(division), base);
}

export const customDivisionDecider: Decider<CustomDivisionCommand, CustomDivisionState, CustomDivisionEvent> = {
  initialState: { divisions: [] },
  decide(command, state) {
    const division: Division = { code: command.code, name: command.name.trim(), level: 'county', parent: command.parent, custom: true };
    try {
      treeWith(state.divisions).withCustom(division);
    } catch (error) {
      throw invalid([{ field: 'code', code: 'custom-division-refused', message: (error as Error).message, value: command.code }], (error as Error).message);
    }
    return [{ type: 'CustomDivisionCreated', data: { code: division.code, name: division.name, parent: command.parent, createdAt: command.at }, reason: command.reason }];
  },
  evolve: (state, event) => ({ divisions: [...state.divisions, { code: event.data.code, name: event.data.name, level: 'county', parent: event.data.parent, custom: true }] }),
};

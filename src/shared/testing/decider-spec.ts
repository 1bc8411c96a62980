import { expect } from '@jest/globals';
import { DomainError } from '../domain/domain-error.js';
import type { Decider, DomainEvent } from '../domain/decider.js';
import type { EventRegistry } from '../events/event-registry.js';

/**
 * Given/when/then for deciders:
 *   deciderSpec(decider).given([opened]).when(deposit).then([deposited])
 *   deciderSpec(decider).given([closed]).when(deposit).thenFails('account-closed')
 * With a registry, every event `decide` emits must be a registered type whose data matches its
 * schema, so each given/when/then case is also a schema check. States are frozen as they are
 * folded: the command path caches and shares folded states, so evolve and decide must never
 * change one (a mutation throws here).
 */
export function deciderSpec<C, S, E extends DomainEvent>(decider: Decider<C, S, E>, registry?: EventRegistry) {
  return {
    given(events: E[]) {
      const state = events.reduce((s, e) => deepFreeze(decider.evolve(s, e)), deepFreeze(structuredClone(decider.initialState)));
      return {
        when(command: C) {
          const run = (): E[] => decider.decide(command, state);
          return {
            then(expected: E[]): S {
              const actual = run();
              expect(actual).toEqual(expected);
              for (const event of actual) registry?.validate(event.type, event.data);
              // evolve must accept what decide produced
              return actual.reduce((s, e) => deepFreeze(decider.evolve(s, e)), state);
            },
            thenFails(code: string, kind?: DomainError['kind']): DomainError {
              let caught: unknown;
              try {
                run();
              } catch (error) {
                caught = error;
              }
              expect(caught).toBeInstanceOf(DomainError);
              const error = caught as DomainError;
              expect(error.code).toBe(code);
              if (kind) expect(error.kind).toBe(kind);
              expect(error.message).toMatch(/[\u4e00-\u9fff]/);
              return error;
            },
          };
        },
        thenState(expected: Partial<S>): void {
          expect(state).toMatchObject(expected as Record<string, unknown>);
        },
      };
    },
  };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

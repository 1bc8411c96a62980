import { describe, expect, it } from '@jest/globals';
import { fixtureSchemaDir } from '../../../test/fixtures/fixture-app.js';
import { LEDGER_EVENTS, ledgerDecider } from '../../../test/fixtures/ledger/ledger.decider.js';
import { ledgerAccountsProjection } from '../../../test/fixtures/ledger/ledger.projection.js';
import { EventRegistry } from '../events/event-registry.js';
import type { ProjectionDefinition } from '../projections/projection-definition.js';
import { deciderSpec } from './decider-spec.js';
import { projectEvents } from './projection-spec.js';
import { recorded } from './recorded.js';

const at = '2026-09-01T08:00:00.000Z';
const registry = new EventRegistry([fixtureSchemaDir()]).register(LEDGER_EVENTS);
const spec = deciderSpec(ledgerDecider, registry);
const opened = { type: 'AccountOpened' as const, data: { accountId: 'a', owner: '张三', openedAt: at } };

describe('deciderSpec (given/when/then), on the ledger fixture', () => {
  it('given nothing, when opened, then AccountOpened', () => {
    spec.given([]).when({ type: 'OpenAccount', accountId: 'a', owner: '张三', at }).then([opened]);
  });
  it('given opened, when opened again, then it fails with a stable code and a Chinese message', () => {
    spec.given([opened]).when({ type: 'OpenAccount', accountId: 'a', owner: '张三', at }).thenFails('account-exists', 'conflict');
  });
  it('given closed, when deposited, then account-closed', () => {
    spec.given([opened, { type: 'AccountClosed', data: { accountId: 'a', closedAt: at } }]).when({ type: 'Deposit', accountId: 'a', depositId: 'd', amount: 1, at }).thenFails('account-closed', 'rule');
  });
  it('given opened, the state is open', () => {
    spec.given([opened]).thenState({ status: 'open', balance: 0 });
  });
  it('fails the test when decide emits data its schema refuses', () => {
    const sloppy = deciderSpec({ ...ledgerDecider, decide: () => [{ type: 'AccountOpened', data: { accountId: 'a', owner: '', openedAt: at } }] } as typeof ledgerDecider, registry);
    expect(() => sloppy.given([]).when({ type: 'OpenAccount', accountId: 'a', owner: '', at }).then([{ type: 'AccountOpened', data: { accountId: 'a', owner: '', openedAt: at } }])).toThrow(/owner/);
  });
});

describe('projectEvents (apply twice = same document), on the ledger fixture', () => {
  const events = [
    recorded('AccountOpened', { accountId: 'a', owner: '张三', openedAt: at }),
    recorded('MoneyDeposited', { accountId: 'a', depositId: 'd1', amount: 5, depositedAt: at }),
    recorded('MoneyDeposited', { accountId: 'a', depositId: 'd2', amount: 7, depositedAt: at }),
    recorded('AccountClosed', { accountId: 'a', closedAt: at }, { reason: '毕业' }),
  ];

  it('builds the document and survives a replay unchanged', () => {
    const result = projectEvents(ledgerAccountsProjection, events);
    expect(result.doc('accounts', 'a')).toEqual({ id: 'a', owner: '张三', status: 'closed', balance: 12, deposits: 2, openedBy: 'test-account', closeReason: '毕业' });
  });

  it('catches a reducer that is not idempotent under replay', () => {
    // counts on a separate counter document keyed by event type, with no position in the key: still safe,
    // because the runner skips events at or before a document's position. A reducer that mutates its input is caught:
    const mutating: ProjectionDefinition = {
      ...ledgerAccountsProjection,
      evolve: (c, doc, e, id) => {
        if (doc) (doc as Record<string, unknown>)['touched'] = true;
        return ledgerAccountsProjection.evolve(c, doc, e, id);
      },
    };
    expect(() => projectEvents(mutating, events)).toThrow();
  });
});

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { fixtureSchemaDir } from '../../../test/fixtures/fixture-app.js';
import { LEDGER_EVENTS, type LedgerCommand, ledgerDecider } from '../../../test/fixtures/ledger/ledger.decider.js';
import { EventRegistry } from '../events/event-registry.js';
import { SqliteEventStore } from '../event-store/sqlite.event-store.js';
import { CommandPath } from './command-path.js';

const context = { actor: { accountId: 'acc', role: 'business', organisationId: 'org' }, correlationId: 'corr', causationId: null };
const at = '2026-09-01T08:00:00.000Z';

describe('CommandPath.runAll (one durable write for several streams, ADR 0028)', () => {
  let store: SqliteEventStore;
  let path: CommandPath;
  beforeEach(async () => {
    store = new SqliteEventStore(join(mkdtempSync(join(tmpdir(), 'cpa-')), 'events.sqlite'));
    path = new CommandPath(store, new EventRegistry([fixtureSchemaDir()]).register(LEDGER_EVENTS));
    for (const id of ['a', 'b']) await path.run({ streamId: `ledger-${id}`, decider: ledgerDecider, command: { type: 'OpenAccount', accountId: id, owner: '张三', at }, context });
  });
  afterEach(() => store.close());

  /** deposits `amount` on a and on b: both streams or neither */
  const transfer = (amount: number, beforeCommit?: () => Promise<void>) => {
    let plans = 0;
    const written = path.runAll(async () => {
      plans++;
      const step = async (id: string, command: LedgerCommand) => ({ ...path.prepareOn({ streamId: `ledger-${id}`, decider: ledgerDecider, command, context }, await path.load(`ledger-${id}`, ledgerDecider)), decider: ledgerDecider });
      const prepared = [await step('a', { type: 'Deposit', accountId: 'a', depositId: `out-${plans}`, amount, at }), await step('b', { type: 'Deposit', accountId: 'b', depositId: `in-${plans}`, amount, at })];
      if (plans === 1) await beforeCommit?.();
      return { prepared, result: (outcomes) => outcomes.map((o) => o.revision) };
    });
    return { written, plans: () => plans };
  };

  it('appends to both streams in one store call, each against its own revision', async () => {
    const calls: number[] = [];
    const appendMany = store.appendMany.bind(store);
    store.appendMany = (appends) => (calls.push(appends.length), appendMany(appends));
    const { written } = transfer(5);
    expect(await written).toEqual([1, 1]);
    expect(calls).toEqual([2]);
    expect((await path.load('ledger-b', ledgerDecider)).state).toMatchObject({ balance: 5 });
  });

  it('a concurrent write on one stream fails the whole write, which is decided again on fresh states', async () => {
    const { written, plans } = transfer(5, async () => {
      await store.append('ledger-b', [{ type: 'MoneyDeposited', data: { accountId: 'b', depositId: 'other', amount: 7, depositedAt: at }, metadata: { eventId: 'e-other', actor: context.actor, correlationId: 'c', causationId: null, occurredAt: at, schemaVersion: 1 } }], 0);
    });
    expect(await written).toEqual([1, 2]);
    expect(plans()).toBe(2);
    // nothing of the first attempt was written: a holds one transfer, b the other writer's and one transfer
    expect((await store.readStream('ledger-a')).map((e) => e.type)).toEqual(['AccountOpened', 'MoneyDeposited']);
    expect((await path.load('ledger-b', ledgerDecider)).state).toMatchObject({ balance: 12 });
  });
});

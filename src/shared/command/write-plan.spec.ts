import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { fixtureSchemaDir } from '../../../test/fixtures/fixture-app.js';
import { LEDGER_EVENTS, ledgerDecider } from '../../../test/fixtures/ledger/ledger.decider.js';
import { DomainError } from '../domain/domain-error.js';
import { EventRegistry } from '../events/event-registry.js';
import { SqliteEventStore } from '../event-store/sqlite.event-store.js';
import { CommandPath } from './command-path.js';
import { WritePlan } from './write-plan.js';

const context = { actor: { accountId: 'acc', role: 'business', organisationId: 'org' }, correlationId: 'corr', causationId: null };
const at = '2026-09-01T08:00:00.000Z';
const deposit = (id: string, depositId: string, amount: number) => ({ streamId: `ledger-${id}`, decider: ledgerDecider, command: { type: 'Deposit' as const, accountId: id, depositId, amount, at }, context });

describe('WritePlan (the decisions of one multi-stream write, ADR 0030)', () => {
  let store: SqliteEventStore;
  let path: CommandPath;
  beforeEach(async () => {
    store = new SqliteEventStore(join(mkdtempSync(join(tmpdir(), 'wp-')), 'events.sqlite'));
    path = new CommandPath(store, new EventRegistry([fixtureSchemaDir()]).register(LEDGER_EVENTS));
    for (const id of ['a', 'b']) await path.run({ streamId: `ledger-${id}`, decider: ledgerDecider, command: { type: 'OpenAccount', accountId: id, owner: '张三', at }, context });
  });
  afterEach(() => store.close());

  it('a second command on a stream is decided on the first one\'s outcome; each stream is one append, in the order of the last decision on it', async () => {
    const revisions = await path.runAll(async () => {
      const plan = new WritePlan(path);
      await plan.decide(deposit('b', 'b-1', 1));
      await plan.decide(deposit('a', 'a-1', 2));
      const second = await plan.decide(deposit('b', 'b-2', 3));
      expect(second.state).toMatchObject({ balance: 4 });
      expect(await plan.state('ledger-b', ledgerDecider)).toMatchObject({ balance: 4 });
      expect(plan.prepared.map((p) => [p.streamId, p.expectedRevision, p.events.length])).toEqual([['ledger-a', 0, 1], ['ledger-b', 0, 2]]);
      return { prepared: plan.prepared, result: (outcomes) => outcomes.map((o) => o.revision) };
    });
    expect(revisions).toEqual([1, 2]);
    const log = await store.readAll({ after: 0, maxCount: 100 });
    expect(log.filter((e) => e.type === 'MoneyDeposited').map((e) => e.data['depositId'])).toEqual(['a-1', 'b-1', 'b-2']);
  });

  it('a refused decision leaves the plan as it was', async () => {
    const plan = new WritePlan(path);
    await plan.decide(deposit('a', 'a-1', 2));
    await expect(plan.decide(deposit('a', 'a-2', -1))).rejects.toBeInstanceOf(DomainError);
    expect(plan.prepared.map((p) => p.events.length)).toEqual([1]);
    expect(await plan.state('ledger-a', ledgerDecider)).toMatchObject({ balance: 2 });
  });

  it('a command pinned with If-Match is refused 412 when its stream is at another revision', async () => {
    const plan = new WritePlan(path);
    await expect(plan.decide({ ...deposit('a', 'a-1', 2), context: { ...context, expectedRevision: 5 } })).rejects.toMatchObject({ kind: 'stale', code: 'stale-revision' });
    await plan.decide({ ...deposit('a', 'a-1', 2), context: { ...context, expectedRevision: 0 } });
    expect(plan.prepared).toHaveLength(1);
  });

  it('a concurrent writer on any stream of the plan makes runAll decide the whole plan again', async () => {
    let plans = 0;
    const balances = await path.runAll(async () => {
      plans++;
      const plan = new WritePlan(path);
      await plan.decide(deposit('a', `a-${plans}`, 1));
      await plan.decide(deposit('b', `b-${plans}`, 1));
      if (plans === 1) await path.run(deposit('b', 'other', 10));
      return { prepared: plan.prepared, result: (outcomes) => outcomes.map((o) => (o.state as { balance: number }).balance) };
    });
    expect(plans).toBe(2);
    expect(balances).toEqual([1, 11]);
    expect((await store.readStream('ledger-a')).map((e) => e.data['depositId'])).toEqual([undefined, 'a-2']);
  });
});

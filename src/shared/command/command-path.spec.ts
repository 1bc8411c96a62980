import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { fixtureSchemaDir } from '../../../test/fixtures/fixture-app.js';
import { LEDGER_EVENTS, type LedgerCommand, ledgerDecider } from '../../../test/fixtures/ledger/ledger.decider.js';
import { DomainError } from '../domain/domain-error.js';
import { EventRegistry, EventSchemaError } from '../events/event-registry.js';
import { SqliteEventStore } from '../event-store/sqlite.event-store.js';
import { SettableClock } from '../time/clock.js';
import { CommandPath } from './command-path.js';

const context = { actor: { accountId: 'acc', role: 'business', organisationId: 'org' }, correlationId: 'corr', causationId: null };
const at = '2026-09-01T08:00:00.000Z';

describe('CommandPath', () => {
  let store: SqliteEventStore;
  let path: CommandPath;
  beforeEach(() => {
    store = new SqliteEventStore(join(mkdtempSync(join(tmpdir(), 'cp-')), 'events.sqlite'));
    path = new CommandPath(store, new EventRegistry([fixtureSchemaDir()]).register(LEDGER_EVENTS));
  });
  afterEach(() => store.close());

  const run = (command: LedgerCommand, expectedRevision?: number) =>
    path.run({ streamId: 'ledger-a', decider: ledgerDecider, command, context: { ...context, ...(expectedRevision !== undefined ? { expectedRevision } : {}) } });

  it('creates the stream with no_stream, then appends at the loaded revision', async () => {
    const opened = await run({ type: 'OpenAccount', accountId: 'a', owner: '张三', at });
    expect(opened).toMatchObject({ revision: 0, state: { status: 'open' } });
    const deposited = await run({ type: 'Deposit', accountId: 'a', depositId: 'd1', amount: 5, at });
    expect(deposited).toMatchObject({ revision: 1, state: { balance: 5 } });
    expect(deposited.position).toBe(await store.headPosition());
  });

  it('stamps events with the time of its clock, not the system time', async () => {
    const clock = new SettableClock('2026-08-31T16:30:00.000Z');
    const clocked = new CommandPath(store, new EventRegistry([fixtureSchemaDir()]).register(LEDGER_EVENTS), clock);
    await clocked.run({ streamId: 'ledger-c', decider: ledgerDecider, command: { type: 'OpenAccount', accountId: 'c', owner: '张三', at }, context });
    clock.advance(60_000);
    const prepared = clocked.prepareOn({ streamId: 'ledger-c', decider: ledgerDecider, command: { type: 'Deposit', accountId: 'c', depositId: 'd1', amount: 5, at }, context }, await clocked.load('ledger-c', ledgerDecider));
    await clocked.commit(prepared);
    expect((await store.readStream('ledger-c')).map((e) => e.metadata.occurredAt)).toEqual(['2026-08-31T16:30:00.000Z', '2026-08-31T16:31:00.000Z']);
  });

  it('loadIncluding answers from its cached state without a read when that holds the position, and loads otherwise', async () => {
    await run({ type: 'OpenAccount', accountId: 'a', owner: '张三', at });
    const deposited = await run({ type: 'Deposit', accountId: 'a', depositId: 'd1', amount: 5, at });
    const reads: string[] = [];
    const readStream = store.readStream.bind(store);
    store.readStream = (id, options) => (reads.push(id), readStream(id, options));
    expect(await path.loadIncluding('ledger-a', ledgerDecider, deposited.position)).toMatchObject({ revision: 1, state: { balance: 5 } });
    expect(reads).toEqual([]);
    // another instance appends: a position beyond the cached state's is read from the store
    const other = new CommandPath(store, new EventRegistry([fixtureSchemaDir()]).register(LEDGER_EVENTS));
    const later = await other.run({ streamId: 'ledger-a', decider: ledgerDecider, command: { type: 'Deposit', accountId: 'a', depositId: 'd2', amount: 7, at }, context });
    expect(await path.loadIncluding('ledger-a', ledgerDecider, later.position)).toMatchObject({ revision: 2, state: { balance: 12 } });
    expect(reads).toEqual(['ledger-a', 'ledger-a']);
    // a stream never loaded here is read
    expect(await path.loadIncluding('ledger-b', ledgerDecider, 1)).toMatchObject({ revision: -1 });
  });

  it('folds a loaded stream once: later loads read only what was appended since, also by another process', async () => {
    await run({ type: 'OpenAccount', accountId: 'a', owner: '张三', at });
    await run({ type: 'Deposit', accountId: 'a', depositId: 'd1', amount: 5, at });
    const reads: Array<number | undefined> = [];
    const readStream = store.readStream.bind(store);
    store.readStream = (id, options) => (reads.push(options?.fromRevision), readStream(id, options));
    expect(await path.load('ledger-a', ledgerDecider)).toMatchObject({ revision: 1, state: { balance: 5 } });
    // another instance of the service appends on the same store
    const other = new CommandPath(store, new EventRegistry([fixtureSchemaDir()]).register(LEDGER_EVENTS));
    await other.run({ streamId: 'ledger-a', decider: ledgerDecider, command: { type: 'Deposit', accountId: 'a', depositId: 'd2', amount: 7, at }, context });
    expect(await path.load('ledger-a', ledgerDecider)).toMatchObject({ revision: 2, state: { balance: 12 }, position: await store.headPosition() });
    // the state this path appended is cached too; each of its loads still asked for the events after its
    // revision (the other instance's first load read the whole stream: undefined)
    expect(reads).toEqual([2, undefined, 2]);
    const history = await path.loadWithHistory('ledger-a', ledgerDecider);
    expect(history.events.map((e) => e.type)).toEqual(['AccountOpened', 'MoneyDeposited', 'MoneyDeposited']);
  });

  it('starts a new stream without reading it; a stream that exists already is refused, not overwritten', async () => {
    const started = await path.start({ streamId: 'ledger-b', decider: ledgerDecider, command: { type: 'OpenAccount', accountId: 'b', owner: '李四', at }, context });
    expect(started).toMatchObject({ revision: 0, state: { status: 'open' } });
    await expect(path.start({ streamId: 'ledger-b', decider: ledgerDecider, command: { type: 'OpenAccount', accountId: 'b', owner: '王五', at }, context })).rejects.toThrow(/expected revision/);
    expect((await store.readStream('ledger-b')).map((e) => e.data['owner'])).toEqual(['李四']);
  });

  it('decides on a state the caller holds and appends at its revision; a stream that moved meanwhile is refused', async () => {
    const opened = path.prepareStart({ streamId: 'ledger-c', decider: ledgerDecider, command: { type: 'OpenAccount', accountId: 'c', owner: '赵六', at }, context });
    const deposit = path.prepareOn({ streamId: 'ledger-c', decider: ledgerDecider, command: { type: 'Deposit', accountId: 'c', depositId: 'd1', amount: 3, at }, context }, { state: opened.state, revision: 0 });
    expect(deposit).toMatchObject({ expectedRevision: 0, state: { balance: 3 } });
    expect(await store.headPosition()).toBe(0);
    await path.commitStart(opened);
    expect(await path.commit(deposit)).toMatchObject({ revision: 1, state: { balance: 3 } });
    // decided on revision 0 again: the stream is at 1 now
    const stale = path.prepareOn({ streamId: 'ledger-c', decider: ledgerDecider, command: { type: 'Deposit', accountId: 'c', depositId: 'd2', amount: 1, at }, context }, { state: opened.state, revision: 0 });
    await expect(path.commit(stale)).rejects.toThrow(/expected revision/);
    expect((await path.load('ledger-c', ledgerDecider)).state.balance).toBe(3);
  });

  it('commits many prepared streams in one store call: all of them, or none when one moved meanwhile', async () => {
    await run({ type: 'OpenAccount', accountId: 'a', owner: '张三', at });
    const open = (id: string) => path.prepareStart({ streamId: `ledger-${id}`, decider: ledgerDecider, command: { type: 'OpenAccount', accountId: id, owner: '李四', at }, context });
    const deposit = path.prepareOn({ streamId: 'ledger-a', decider: ledgerDecider, command: { type: 'Deposit', accountId: 'a', depositId: 'd1', amount: 2, at }, context }, (await path.load('ledger-a', ledgerDecider)));
    const nothing = { ...open('n'), events: [] };
    const outcomes = await path.commitAll([{ ...open('x'), expectedRevision: -1 }, deposit, { ...nothing, expectedRevision: -1 }]);
    expect(outcomes.map((o) => [o.streamId, o.revision])).toEqual([['ledger-x', 0], ['ledger-a', 1], ['ledger-n', -1]]);
    expect(outcomes[1]!.position).toBe(await store.headPosition());
    // decided on revision 0 again: the stream is at 1, and the new stream beside it is not written either
    await expect(path.commitAll([{ ...open('y'), expectedRevision: -1 }, deposit])).rejects.toThrow(/expected revision/);
    expect(await store.readStream('ledger-y')).toEqual([]);
    expect(path.atomicMultiStream).toBe(true);
  });

  it('lets the caller authorise on the state the command is decided on, and stores nothing when it refuses', async () => {
    await run({ type: 'OpenAccount', accountId: 'a', owner: '张三', at });
    const refuse = (state: { status: string }) => {
      if (state.status !== 'closed') throw new DomainError('not_found', 'account-not-found', '账户不存在');
    };
    await expect(path.run({ streamId: 'ledger-a', decider: ledgerDecider, command: { type: 'Deposit', accountId: 'a', depositId: 'd1', amount: 5, at }, context, authorise: refuse })).rejects.toThrow('账户不存在');
    expect(await store.readStream('ledger-a')).toHaveLength(1);
  });

  it('changes nothing when decide returns no events, and answers the current revision', async () => {
    await run({ type: 'OpenAccount', accountId: 'a', owner: '张三', at });
    const first = await run({ type: 'Deposit', accountId: 'a', depositId: 'd1', amount: 5, at });
    const again = await run({ type: 'Deposit', accountId: 'a', depositId: 'd1', amount: 5, at });
    expect(again).toMatchObject({ revision: first.revision, position: first.position, events: [] });
  });

  it('refuses a pinned stale revision without deciding, and stores nothing', async () => {
    await run({ type: 'OpenAccount', accountId: 'a', owner: '张三', at });
    await expect(run({ type: 'Deposit', accountId: 'a', depositId: 'd1', amount: 5, at }, 3)).rejects.toMatchObject({ kind: 'stale', code: 'stale-revision' });
    expect(await store.readStream('ledger-a')).toHaveLength(1);
  });

  it('queues commands on one stream in this process: none conflicts, none is lost', async () => {
    await run({ type: 'OpenAccount', accountId: 'a', owner: '张三', at });
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => run({ type: 'Deposit', accountId: 'a', depositId: `d${i}`, amount: 1, at })));
    expect(results.map((r) => r.revision)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(await store.readStream('ledger-a')).toHaveLength(51);
  });

  it('decides again on fresh state when another writer (another process) wins the race', async () => {
    await run({ type: 'OpenAccount', accountId: 'a', owner: '张三', at });
    const other = new CommandPath(store, new EventRegistry([fixtureSchemaDir()]).register(LEDGER_EVENTS));
    const viaOther = (i: number) => other.run({ streamId: 'ledger-a', decider: ledgerDecider, command: { type: 'Deposit', accountId: 'a', depositId: `o${i}`, amount: 2, at }, context });
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => [run({ type: 'Deposit', accountId: 'a', depositId: `m${i}`, amount: 1, at }), viaOther(i)]).flat());
    expect(new Set(results.map((r) => r.revision)).size).toBe(20);
    const final = await path.load('ledger-a', ledgerDecider);
    expect(final.state.balance).toBe(10 * 1 + 10 * 2);
    expect(final.revision).toBe(20);
  });

  it('passes domain errors through and stores nothing', async () => {
    await expect(run({ type: 'Deposit', accountId: 'a', depositId: 'd1', amount: 5, at })).rejects.toBeInstanceOf(DomainError);
    expect(await store.headPosition()).toBe(0);
  });

  it('never stores an event whose type is unregistered or whose data breaks its schema', async () => {
    const rogue = { ...ledgerDecider, decide: () => [{ type: 'AccountRenamed', data: {} }] } as never;
    await expect(path.run({ streamId: 'ledger-r', decider: rogue, command: {} as never, context })).rejects.toBeInstanceOf(EventSchemaError);
    const broken = { ...ledgerDecider, decide: () => [{ type: 'AccountOpened', data: { accountId: 'r' } }] } as never;
    await expect(path.run({ streamId: 'ledger-r', decider: broken, command: {} as never, context })).rejects.toThrow(/owner/);
    expect(await store.headPosition()).toBe(0);
  });

  it('drains: resolves only after running commands finish', async () => {
    await run({ type: 'OpenAccount', accountId: 'a', owner: '张三', at });
    const pending = run({ type: 'Deposit', accountId: 'a', depositId: 'd9', amount: 1, at });
    await path.drain();
    // by the time drain resolves, the running command's append is durable
    expect(await store.readStream('ledger-a')).toHaveLength(2);
    await pending;
  });
});

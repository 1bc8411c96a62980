import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { fixtureSchemaDir, quietLogger } from '../../../test/fixtures/fixture-app.js';
import { LEDGER_EVENTS, type LedgerCommand, ledgerDecider } from '../../../test/fixtures/ledger/ledger.decider.js';
import { CommandPath } from '../command/command-path.js';
import { SqliteEventStore } from '../event-store/sqlite.event-store.js';
import { EventRegistry } from '../events/event-registry.js';
import { SqliteReadStore } from '../read-store/sqlite.read-store.js';
import { type ReactorDefinition, ReactorRunner } from './reactor.js';

const dir = mkdtempSync(join(tmpdir(), 'reactor-'));
const events = new SqliteEventStore(join(dir, 'events.sqlite'));
const reads = new SqliteReadStore(join(dir, 'read.sqlite'));
const registry = new EventRegistry([fixtureSchemaDir()]).register(LEDGER_EVENTS);
const commands = new CommandPath(events, registry);
const context = { actor: { accountId: 'acc', role: 'business', organisationId: 'org' }, correlationId: 'c', causationId: null };
const at = '2026-09-01T08:00:00.000Z';
const run = (id: string, command: LedgerCommand) => commands.run({ streamId: `ledger-${id}`, decider: ledgerDecider, command, context });

/** The reaction: a deposit of 1,000 or more closes the account (an idempotent command). */
let reactions = 0;
const bigDepositCloses: ReactorDefinition = {
  name: 'big-deposit-closes',
  handles: ['MoneyDeposited'],
  async react(event) {
    if (Number(event.data['amount']) < 1000) return;
    reactions++;
    const id = String(event.data['accountId']);
    await commands.run({ streamId: `ledger-${id}`, decider: ledgerDecider, command: { type: 'CloseAccount', accountId: id, reason: '大额存入自动关闭', at }, context: { ...context, actor: { accountId: 'reactor', role: 'system', organisationId: 'system' }, causationId: event.metadata.eventId } });
  },
};
const closes = async (id: string) => (await events.readStream(`ledger-${id}`)).filter((e) => e.type === 'AccountClosed');

afterAll(async () => {
  await events.close();
  await reads.close();
});

describe('ReactorRunner (process managers)', () => {
  it('reacts to durable events once, with the causing event as causation', async () => {
    await run('a', { type: 'OpenAccount', accountId: 'a', owner: '张三', at });
    await run('a', { type: 'Deposit', accountId: 'a', depositId: 'd1', amount: 5, at });
    await run('a', { type: 'Deposit', accountId: 'a', depositId: 'd2', amount: 2000, at });
    const reactor = new ReactorRunner(bigDepositCloses, events, reads, registry, quietLogger);
    reactor.start();
    expect(await reactor.waitFor(await events.headPosition(), 5000)).toBe(true);
    const closed = await closes('a');
    expect(closed).toHaveLength(1);
    expect(closed[0]!.metadata).toMatchObject({ reason: '大额存入自动关闭', actor: { accountId: 'reactor' } });
    const deposit = (await events.readStream('ledger-a')).find((e) => e.data['depositId'] === 'd2')!;
    expect(closed[0]!.metadata.causationId).toBe(deposit.metadata.eventId);
    await reactor.stop();
  });

  it('resumes from its checkpoint after a restart, and a full replay changes nothing', async () => {
    await run('b', { type: 'OpenAccount', accountId: 'b', owner: '李四', at });
    await run('b', { type: 'Deposit', accountId: 'b', depositId: 'd3', amount: 3000, at });
    reactions = 0;
    const restarted = new ReactorRunner(bigDepositCloses, events, reads, registry, quietLogger);
    restarted.start();
    expect(await restarted.waitFor(await events.headPosition(), 5000)).toBe(true);
    expect(reactions).toBe(1); // only b's deposit: a's was handled before the restart
    await restarted.stop();

    await reads.deleteCheckpoint('reactor:big-deposit-closes');
    reactions = 0;
    const replay = new ReactorRunner(bigDepositCloses, events, reads, registry, quietLogger);
    replay.start();
    expect(await replay.waitFor(await events.headPosition(), 5000)).toBe(true);
    await replay.stop();
    expect(reactions).toBe(2); // both reacted again ...
    expect(await closes('a')).toHaveLength(1); // ... and the idempotent commands changed nothing
    expect(await closes('b')).toHaveLength(1);
  });
});

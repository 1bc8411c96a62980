import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { DEMO_PASSWORD } from '../src/cli/demo-data.js';
import type { AppConfig } from '../src/config/app-config.js';
import { classStream } from '../src/enrolment/domain/class.decider.js';
import { placementStream } from '../src/enrolment/domain/placement.decider.js';
import { enrolmentProjection } from '../src/enrolment/projections/enrolment.projection.js';
import { recordStream } from '../src/records/domain/record.decider.js';
import { recordsProjection } from '../src/records/projections/records.projection.js';
import { COUNTERS, countersProjection } from '../src/reporting/projections/counters.projection.js';
import { reportingProjection } from '../src/reporting/projections/reporting.projection.js';
import { SqliteEventStore } from '../src/shared/event-store/sqlite.event-store.js';
import { APP_CONFIG } from '../src/shared/infrastructure/tokens.js';
import { reservationStream } from '../src/transfers/domain/transfer-reservation.decider.js';
import { transferStream } from '../src/transfers/domain/transfer.decider.js';
import { transfersProjection } from '../src/transfers/projections/transfers.projection.js';
import { createDemoApp } from './fixtures/demo-app.js';
import { api } from './fixtures/enrolment.js';
import { servedAndRebuilt } from './fixtures/rebuild.js';
import { type ServerProcess, serverCall, startServerProcess } from './fixtures/server-process.js';
import { transferHelpers } from './fixtures/transfers.js';

const ZY = '1141010001';
const LT = '1141020001';

/**
 * A transfer's completion cut short by a real SIGKILL (issue 15, ADR 24): the completion is one
 * write (the move, the class place, the completion, the reservation's release). A service killed
 * as that write is handed to the store has stored none of it; one killed right after the store
 * has it has stored all of it. After the restart the transfer is completed once, the record, the
 * class, the queues and the history agree, and the read models equal a rebuild from the log.
 */
describe('transfer completion: SIGKILL of the running service in the middle of it', () => {
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const child of children) child.kill('SIGKILL');
  });

  const call = serverCall;
  const login = async (server: ServerProcess, username: string) => {
    const session = await call(server, '/auth/login', { body: { username, password: DEMO_PASSWORD } });
    expect(session).toMatchObject({ status: 200, body: { token: expect.any(String) } });
    return session.body['token'] as string;
  };
  /** completes the transfer on a service told to kill itself at the completion's write: the request never gets an answer */
  const completeAndDie = async (server: ServerProcess, token: string, transferId: string) => {
    const completing = await call(server, `/transfers/${transferId}/complete`, { token, body: {} }).then((res) => `answered ${res.status} ${JSON.stringify(res.body)}`, () => 'connection-died');
    if (completing !== 'connection-died') server.child.kill('SIGTERM');
    expect(completing).toBe('connection-died');
    await server.exited;
    expect(server.child.signalCode).toBe('SIGKILL');
  };

  it('is completed all at once or not at all; after restart record, class, queues and history agree with a rebuild', async () => {
    const demo = await createDemoApp();
    const t = transferHelpers(demo);
    // two children in a class at 中原区: one moves to 龙亭区, the other stays
    const cls = await t.zy.classWith('中六班', '中班', 2);
    const [moving, staying] = cls.children as [string, string];
    const applied = (await t.apply(LT, await t.numberOf(moving), 201)).body;
    const transferId = applied.id as string;
    expect((await t.act(ZY, transferId, 'agree', {}, 200)).body.status).toBe('ready');
    const config = demo.app.get<AppConfig>(APP_CONFIG);
    const dataDir = config.dataDir;
    for (const username of [`${ZY}-business`, `${LT}-business`]) await demo.http.post(`${api}/auth/logout`).set(await demo.as(username)).expect(200); // one live session per account
    await demo.app.close();

    const store = new SqliteEventStore(join(dataDir, 'events.sqlite'));
    const types = async (streamId: string) => (await store.readStream(streamId)).map((e) => e.type);
    const count = async (streamId: string, type: string) => (await types(streamId)).filter((x) => x === type).length;

    // 1. killed as the completion's write is handed to the store: nothing of it is stored
    const first = await startServerProcess(dataDir, children, { env: { TEST_CRASH_ON: 'RecordTransferred:1:before' } });
    const lt = await login(first, `${LT}-business`);
    const headBefore = await store.headPosition();
    await completeAndDie(first, lt, transferId);
    expect(await store.headPosition()).toBe(headBefore);
    expect(await types(transferStream(transferId))).toEqual(['TransferApplied', 'TransferAgreed']);
    expect(await count(recordStream(moving), 'RecordTransferred')).toBe(0);
    expect((await types(placementStream(moving))).at(-1)).toBe('ChildPlaced');
    expect((await types(reservationStream(moving))).at(-1)).toBe('TransferReserved');
    expect((await types(classStream(cls.id))).at(-1)).not.toBe('ChildrenLeftClass');

    // 2. killed right after the store has the write: all of it is stored, once
    const second = await startServerProcess(dataDir, children, { env: { TEST_CRASH_ON: 'RecordTransferred:1:after' } });
    await completeAndDie(second, lt, transferId); // the session survives the restarts
    expect(await types(transferStream(transferId))).toEqual(['TransferApplied', 'TransferAgreed', 'TransferCompleted']);
    expect(await count(recordStream(moving), 'RecordTransferred')).toBe(1);
    expect((await types(placementStream(moving))).at(-1)).toBe('ChildUnplaced');
    expect((await types(reservationStream(moving))).at(-1)).toBe('TransferReservationReleased');
    expect((await types(classStream(cls.id))).at(-1)).toBe('ChildrenLeftClass');

    // 3. restarted without the hook: the reads agree, and completing again changes nothing
    const third = await startServerProcess(dataDir, children);
    const fresh = { 'X-Min-Position': String(await store.headPosition()), 'X-Wait-Ms': '15000' };
    const zy = await login(third, `${ZY}-business`);
    const headAfter = await store.headPosition();
    expect(await call(third, `/transfers/${transferId}/complete`, { token: lt, body: {} })).toMatchObject({ status: 200, body: { status: 'completed' } });
    expect((await store.readStream(transferStream(transferId))).length).toBe(3);
    expect(await count(recordStream(moving), 'RecordTransferred')).toBe(1);
    expect(await call(third, `/records/${moving}`, { token: lt, headers: fresh })).toMatchObject({ status: 200, body: { institutionCode: LT, divisionCode: '410202', status: 'numbered' } });
    expect((await call(third, `/records/${moving}`, { token: zy, headers: fresh })).status).toBe(404);
    const roster = await call(third, `/classes/${cls.id}`, { token: zy, headers: fresh });
    expect(roster.body['children'].map((c: { recordId: string }) => c.recordId)).toEqual([staying]);
    for (const [token, queue] of [[lt, 'waiting-for-me'], [lt, 'waiting-for-them'], [zy, 'waiting-for-me'], [zy, 'waiting-for-them']] as const) {
      const items = (await call(third, `/transfers/${queue}`, { token, headers: fresh })).body['items'] as Array<{ id: string }>;
      expect(items.map((i) => i.id)).not.toContain(transferId);
    }
    const incoming = (await call(third, '/transfers/incoming?status=completed', { token: lt, headers: fresh })).body['items'] as Array<{ id: string }>;
    expect(incoming.map((i) => i.id)).toContain(transferId);
    const history = (await call(third, `/records/${moving}/history`, { token: lt, headers: fresh })).body['items'] as Array<{ type: string }>;
    expect(history.map((h) => h.type).filter((x) => x.startsWith('RecordTransfer'))).toEqual(['RecordTransferApplied', 'RecordTransferAgreed', 'RecordTransferred']);
    const leaves = (await call(third, '/leaves', { token: zy, headers: fresh })).body['items'] as Array<{ recordId: string; status: string }>;
    expect(leaves.find((l) => l.recordId === moving)).toMatchObject({ status: 'transferred-out' });
    expect(await store.headPosition()).toBeGreaterThanOrEqual(headAfter);
    third.child.kill('SIGTERM');
    await third.exited;

    // the read models the service built across the crashes equal a rebuild from the log; the live
    // counters (moved in and out, class sizes) are a projection too, counted again from the whole log
    for (const { collection, served, rebuilt } of await servedAndRebuilt(config, [recordsProjection, enrolmentProjection, transfersProjection, reportingProjection, countersProjection])) {
      if (collection === COUNTERS.units) expect(served.length).toBeGreaterThan(0);
      expect(served).toEqual(rebuilt);
    }
    await store.close();
  }, 240_000);
});

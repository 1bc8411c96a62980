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
import { SqliteEventStore } from '../src/shared/event-store/sqlite.event-store.js';
import { APP_CONFIG } from '../src/shared/infrastructure/tokens.js';
import { createDemoApp } from './fixtures/demo-app.js';
import { api, enrolmentHelpers } from './fixtures/enrolment.js';
import { servedAndRebuilt } from './fixtures/rebuild.js';
import { type ServerProcess, serverCall, startServerProcess } from './fixtures/server-process.js';

const CHILDREN = 40;
const STAYING = 2;
/** the running service kills itself (SIGKILL) at the write holding the 15th graduate's leave (test/fixtures/crash-hook.ts) */
const CRASH_AT = 15;

/**
 * A whole-class graduation interrupted by a crash (issues 14 and 23): a real service process
 * graduating a 40-child 大班 (2 marked 留园) is SIGKILLed at the write that holds the 15th of the
 * 38 graduates' leaves, once as the write is handed to the store and once after the store has it.
 * On the embedded store the graduation is one write (ADR 0030): the crash leaves none of it or all
 * of it (decision, every leave, the completion, every placement given up), never a part; after
 * restart roster, leave history and records agree with the log and with a rebuild, and a
 * graduation that was not stored can simply be sent again. (On KurrentDB, which writes stream by
 * stream, the enrolment reactor completes it from the decision: reconciliation.spec.ts.)
 */
describe('whole-class graduation: SIGKILL of the running service in the middle of it', () => {
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const child of children) child.kill('SIGKILL');
  });

  const call = serverCall;

  it.each(['before', 'after'] as const)('crashed %s the store has the write: all of the graduation or none, and the read models equal a rebuild', async (when) => {
    const demo = await createDemoApp();
    const h = enrolmentHelpers(demo, '1141010001', when === 'before' ? 700 : 800);
    const cls = await h.classWith('大五班', '大班', CHILDREN);
    for (const id of cls.children.slice(0, STAYING)) await h.mark(cls.id, id, '留园');
    const stayers = cls.children.slice(0, STAYING);
    const graduates = cls.children.slice(STAYING);
    const config = demo.app.get<AppConfig>(APP_CONFIG);
    const dataDir = config.dataDir;
    await demo.http.post(`${api}/auth/logout`).set(await h.business()).expect(200); // one live session per account
    await demo.app.close();

    // the service as its own process, told to die at the graduation's write
    const first = await startServerProcess(dataDir, children, { env: { TEST_CRASH_ON: `RecordLeft:${CRASH_AT}:${when}` } });
    const login = async (server: ServerProcess) => {
      const session = await call(server, '/auth/login', { body: { username: '1141010001-business', password: DEMO_PASSWORD } });
      expect(session).toMatchObject({ status: 200, body: { token: expect.any(String) } });
      return session.body['token'] as string;
    };
    const token = await login(first);
    const graduating = await call(first, `/classes/${cls.id}/graduate`, { token, body: { leaveDate: '2027-07-05' } }).then((res) => `answered ${res.status} ${JSON.stringify(res.body)}`, () => 'connection-died');
    if (graduating !== 'connection-died') first.child.kill('SIGTERM');
    expect(graduating).toBe('connection-died');
    await first.exited;
    expect(first.child.signalCode).toBe('SIGKILL');

    // what the crash left, read before any restart (no reactor has run since): none or all
    const store = new SqliteEventStore(join(dataDir, 'events.sqlite'));
    const classEvents = async () => store.readStream(classStream(cls.id));
    const leavesOf = async (id: string) => (await store.readStream(recordStream(id))).filter((e) => e.type === 'RecordLeft');
    const lastPlacementEvent = async (id: string) => (await store.readStream(placementStream(id))).at(-1)?.type;
    const decided = (await classEvents()).find((e) => e.type === 'ClassGraduationDecided');
    const leftAtCrash = (await Promise.all(graduates.map(async (id) => (await leavesOf(id)).length))).reduce((a, b) => a + b, 0);
    const unplacedAtCrash = (await Promise.all(graduates.map(lastPlacementEvent))).filter((type) => type === 'ChildUnplaced').length;
    const completed = (await classEvents()).find((e) => e.type === 'ClassGraduationCompleted');
    if (when === 'before') {
      expect({ decided: decided !== undefined, leftAtCrash, unplacedAtCrash, completed: completed !== undefined }).toEqual({ decided: false, leftAtCrash: 0, unplacedAtCrash: 0, completed: false });
    } else {
      expect({ decided: decided !== undefined, leftAtCrash, unplacedAtCrash, completed: completed !== undefined }).toEqual({ decided: true, leftAtCrash: graduates.length, unplacedAtCrash: graduates.length, completed: true });
      expect((decided!.data['recordIds'] as string[]).sort()).toEqual([...graduates].sort());
      // one write: the completion and every leave name the decision as their cause
      expect(completed!.metadata.causationId).toBe(decided!.metadata.eventId);
      for (const id of graduates) expect((await leavesOf(id))[0]!.metadata.causationId).toBe(decided!.metadata.eventId);
    }

    // restart on the same folder, without the hook; the reactors run over what the crash left
    const second = await startServerProcess(dataDir, children);
    const again = token; // the session survives the restart
    const fresh = async () => ({ 'X-Min-Position': String(await store.headPosition()), 'X-Wait-Ms': '15000' });
    if (when === 'before') {
      // nothing of it was stored: the class is as it was, and the registrar sends the graduation again
      const roster = await call(second, `/classes/${cls.id}`, { token: again, headers: await fresh() });
      expect(roster.body['children'].map((c: { recordId: string }) => c.recordId).sort()).toEqual([...cls.children].sort());
      const retried = await call(second, `/classes/${cls.id}/graduate`, { token: again, body: { leaveDate: '2027-07-05' } });
      expect(retried).toMatchObject({ status: 200, body: { graduated: graduates.length, stayed: STAYING } });
    }
    const roster = await call(second, `/classes/${cls.id}`, { token: again, headers: await fresh() });
    expect(roster.status).toBe(200);
    expect(roster.body['children'].map((c: { recordId: string }) => c.recordId).sort()).toEqual([...stayers].sort());
    for (const id of graduates) {
      expect(await leavesOf(id)).toHaveLength(1); // graduated once: the reactor repeated nothing
      expect(await lastPlacementEvent(id)).toBe('ChildUnplaced');
    }
    expect((await classEvents()).filter((e) => e.type === 'ClassGraduationCompleted')).toHaveLength(1);
    const history = (await call(second, '/leaves?limit=200', { token: again, headers: await fresh() })).body['items'] as Array<{ recordId: string; leaves: Array<{ leaveType: string; classId?: string }> }>;
    // each graduate's leave names the class it left from (the leaves precede the class letting them go in the log)
    expect(history.filter((r) => graduates.includes(r.recordId) && r.leaves[0]?.leaveType === 'graduated' && r.leaves[0]?.classId === cls.id)).toHaveLength(graduates.length);
    const left = (await call(second, '/records?presence=left&limit=200', { token: again, headers: await fresh() })).body['items'] as Array<{ id: string }>;
    expect(left.map((r) => r.id).filter((id) => graduates.includes(id)).sort()).toEqual([...graduates].sort());
    second.child.kill('SIGTERM');
    await second.exited;

    // the read models the service built across the crash equal a rebuild from the log
    for (const { served, rebuilt } of await servedAndRebuilt(config, [enrolmentProjection, recordsProjection])) expect(served).toEqual(rebuilt);
    await store.close();
  }, 240_000);
});

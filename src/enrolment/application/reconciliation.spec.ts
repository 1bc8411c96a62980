import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import type { Principal } from '../../accounts/contracts/index.js';
import { CommandPath } from '../../shared/command/command-path.js';
import type { EventStore } from '../../shared/event-store/event-store.port.js';
import { SqliteEventStore } from '../../shared/event-store/sqlite.event-store.js';
import { EventRegistry } from '../../shared/events/event-registry.js';
import type { RecordedEvent } from '../../shared/event-store/event-store.port.js';
import { streamByStream } from '../../shared/testing/stream-by-stream.store.js';
import { SettableClock } from '../../shared/time/clock.js';
import { assignmentImportDecider, assignmentImportStream } from '../domain/assignment-import.decider.js';
import { classDecider, classStream } from '../domain/class.decider.js';
import { ENROLMENT_EVENTS } from '../domain/enrolment.events.js';
import { placementDecider, placementStream } from '../domain/placement.decider.js';
import { enrolmentReactor } from './enrolment.reactor.js';
import type { RecordRegister } from '../../records/contracts/index.js';
import { Lifecycle } from './lifecycle.js';
import { PromoteClassHandler } from './placements/placement.handlers.js';
import { Reconciliation } from './reconciliation.js';
import { Together } from './together.js';

const registry = new EventRegistry().register(ENROLMENT_EVENTS);
const at = '2027-08-20T02:00:00.000Z';
const kg = '1141010001';
const context = { actor: { accountId: 'registrar', role: 'business', organisationId: kg }, correlationId: 'corr-enrolment', causationId: null };
const registrar: Principal = { accountId: 'registrar', username: `${kg}-business`, realName: '', role: 'business', level: 'institution', divisionCode: '410102', institutionCode: kg, organisationId: kg, sessionId: 's', mustChangePassword: false };
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * The writes of enrolment on a store that writes stream by stream (as KurrentDB does), cut
 * short after their intent: the reconciliation (run by the request and by the enrolment
 * reactor) completes them from the intent, and a repetition changes nothing.
 */
describe('enrolment reconciliation on a stream-by-stream store', () => {
  const stores: SqliteEventStore[] = [];
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
  });

  /** a service on a stream-by-stream view of a fresh store; `failing` streams refuse their next append (a crash between streams) */
  function service() {
    const inner = new SqliteEventStore(join(mkdtempSync(join(tmpdir(), 'reconcile-')), 'events.sqlite'));
    stores.push(inner);
    const failing = new Set<string>();
    const store: EventStore = streamByStream(inner, async (streamId) => {
      if (failing.delete(streamId)) throw new Error(`connection lost before ${streamId}`);
    });
    const commands = new CommandPath(store, registry);
    const together = new Together(commands);
    const clock = new SettableClock(at);
    const reconciliation = new Reconciliation(together, commands, clock);
    const members = async (classId: string) => Object.keys((await commands.load(classStream(classId), classDecider)).state.members).sort();
    const placedIn = async (recordId: string) => (await commands.load(placementStream(recordId), placementDecider)).state.classId;
    async function classOf(grade: '小班' | '中班', recordIds: string[]): Promise<string> {
      const classId = randomUUID();
      await commands.start({ streamId: classStream(classId), decider: classDecider, context, command: { type: 'CreateClass', classId, institutionCode: kg, divisionCode: '410102', name: `${grade}${classId.slice(0, 4)}`, grade, schoolYear: '2026-2027', teachers: [], at } });
      for (const recordId of recordIds) {
        await together.write(context, async () => [
          { streamId: placementStream(recordId), decider: placementDecider, command: { type: 'Place', recordId, institutionCode: kg, classId, move: false, className: grade, at } },
          { streamId: classStream(classId), decider: classDecider, command: { type: 'JoinClass', recordIds: [recordId], how: 'assigned', at } },
        ]);
      }
      return classId;
    }
    return { inner, failing, commands, together, clock, reconciliation, members, placedIn, classOf };
  }

  it('a promotion cut short after its intent (ClassPromoted) is completed; repeated, nothing changes', async () => {
    const s = service();
    const children = [randomUUID(), randomUUID(), randomUUID()];
    const source = await s.classOf('小班', children);
    const target = await s.classOf('中班', []);
    s.failing.add(classStream(target));
    const promote = new PromoteClassHandler(s.together, s.reconciliation, s.clock);
    await expect(promote.execute({ principal: registrar, classId: source, targetClassId: target, context } as never)).rejects.toThrow(/intent of a multi-stream write/);
    // the intent is stored: the children left the source, the target did not take them in
    expect(await s.members(source)).toEqual([]);
    expect(await s.members(target)).toEqual([]);

    // the enrolment reactor meets the intent in the log (after a restart) and completes it
    const [promoted] = (await s.inner.readStream(classStream(source))).filter((e) => e.type === 'ClassPromoted');
    const reactor = enrolmentReactor({} as Lifecycle, s.reconciliation, quiet);
    await reactor.react(promoted as never);
    expect(await s.members(target)).toEqual([...children].sort());
    for (const id of children) expect(await s.placedIn(id)).toBe(target);
    const head = await s.inner.headPosition();
    await reactor.react(promoted as never);
    expect(await s.inner.headPosition()).toBe(head);
  });

  it('a placement stored without its class entry: the class takes the child in and the class it came from lets it go', async () => {
    const s = service();
    const child = randomUUID();
    const from = await s.classOf('小班', [child]);
    const to = await s.classOf('小班', []);
    s.failing.add(classStream(to));
    await expect(
      s.together.write(context, async () => [
        { streamId: placementStream(child), decider: placementDecider, command: { type: 'Place', recordId: child, institutionCode: kg, classId: to, move: true, className: '小二班', at } },
        { streamId: classStream(to), decider: classDecider, command: { type: 'JoinClass', recordIds: [child], how: 'changed', at } },
        { streamId: classStream(from), decider: classDecider, command: { type: 'LeaveClass', recordIds: [child], how: 'changed', at } },
      ]),
    ).rejects.toThrow(/intent/);
    expect(await s.placedIn(child)).toBe(to);
    expect(await s.members(to)).toEqual([]);

    const placed = (await s.inner.readStream(placementStream(child))).filter((e) => e.type === 'ChildPlaced').at(-1) as RecordedEvent;
    await enrolmentReactor({} as Lifecycle, s.reconciliation, quiet).react(placed as never);
    expect(await s.members(to)).toEqual([child]);
    expect(await s.members(from)).toEqual([]);
  });

  it('an import batch stored without its placements: each is completed; a child placed elsewhere meanwhile stays there', async () => {
    const s = service();
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    const classId = await s.classOf('小班', []);
    const elsewhere = await s.classOf('小班', [c]);
    const batchId = randomUUID();
    // the intent alone, as a crash right after it leaves it
    await s.commands.start({
      streamId: assignmentImportStream(batchId), decider: assignmentImportDecider, context,
      command: { type: 'RecordAssignmentImport', batchId, institutionCode: kg, fileName: null, rows: 3, placed: 3, unchanged: 0, failed: 0, issues: [], placements: [a, b, c].map((recordId) => ({ recordId, classId })), at },
    });
    const [batch] = await s.inner.readStream(assignmentImportStream(batchId));
    const reactor = enrolmentReactor({} as Lifecycle, s.reconciliation, quiet);
    await reactor.react(batch as never);
    expect(await s.members(classId)).toEqual([a, b].sort());
    expect([await s.placedIn(a), await s.placedIn(b), await s.placedIn(c)]).toEqual([classId, classId, elsewhere]);
    expect(await s.members(elsewhere)).toEqual([c]);
    const head = await s.inner.headPosition();
    await reactor.react(batch as never);
    expect(await s.inner.headPosition()).toBe(head);
  });

  it('a whole-class graduation whose completion was cut short after the class: the reactor gives up the placements left; repeated, nothing changes', async () => {
    const s = service();
    const children = [randomUUID(), randomUUID(), randomUUID()];
    // a 大班 of three (classOf makes 小班/中班 only)
    const big = randomUUID();
    await s.commands.start({ streamId: classStream(big), decider: classDecider, context, command: { type: 'CreateClass', classId: big, institutionCode: kg, divisionCode: '410102', name: '大一班', grade: '大班', schoolYear: '2026-2027', teachers: [], at } });
    for (const recordId of children) {
      await s.together.write(context, async () => [
        { streamId: placementStream(recordId), decider: placementDecider, command: { type: 'Place', recordId, institutionCode: kg, classId: big, move: false, className: '大一班', at } },
        { streamId: classStream(big), decider: classDecider, command: { type: 'JoinClass', recordIds: [recordId], how: 'assigned', at } },
      ]);
    }
    // the records context seen from enrolment: each leave succeeds, and the child has left
    const left = new Set<string>();
    const register = { leave: async (id: string) => left.add(id), get: async (id: string) => ({ status: left.has(id) ? 'left' : 'numbered' }) } as unknown as RecordRegister;
    const lifecycle = new Lifecycle(s.commands, s.together, register, s.clock);
    const graduationId = randomUUID();
    await s.commands.run({ streamId: classStream(big), decider: classDecider, context, command: { type: 'GraduateClass', graduationId, leaveDate: '2027-07-05', at } });
    s.failing.add(placementStream(children[1]!));
    await expect(lifecycle.completeGraduation(big, graduationId, context)).rejects.toThrow(/intent/);
    expect(await s.members(big)).toEqual([]);
    expect(await s.placedIn(children[1]!)).toBe(big);

    const [decided] = (await s.inner.readStream(classStream(big))).filter((e) => e.type === 'ClassGraduationDecided');
    const reactor = enrolmentReactor(lifecycle, s.reconciliation, quiet);
    await reactor.react(decided as never);
    for (const id of children) expect(await s.placedIn(id)).toBeNull();
    expect((await s.inner.readStream(classStream(big))).filter((e) => e.type === 'ClassGraduationCompleted')).toHaveLength(1);
    const head = await s.inner.headPosition();
    await reactor.react(decided as never);
    expect(await s.inner.headPosition()).toBe(head);
  });
});

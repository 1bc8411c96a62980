import { describe, expect, it } from '@jest/globals';
import { DEMO_PASSWORD } from '../src/cli/demo-data.js';
import { SettableClock } from '../src/shared/time/clock.js';
import { useDemoApp } from './fixtures/demo-app.js';
import { api } from './fixtures/enrolment.js';
import { transferHelpers } from './fixtures/transfers.js';

/**
 * Issue 15, ADR 24: an application in December has its deadline in a year whose holidays the
 * package does not know yet (2027 here). Applying, agreeing and completing never need it; the
 * lists say the due date is not known yet instead of guessing it, and the overdue list keeps a
 * transfer it cannot judge rather than hiding it.
 */
describe('transfers in December, before next year\'s holidays are loaded (HTTP)', () => {
  const clock = new SettableClock('2026-12-02T02:00:00.000Z');
  const demo = useDemoApp({ clock });
  const t = transferHelpers(demo);
  const ZY = '1141010001';
  const LT = '1141020001';
  const EQ = '1141010004';

  it('applies, agrees and completes: no 503; the due date is null with a note, the working days count', async () => {
    const [recordId] = await t.zy.numbered(1);
    const applied = (await t.apply(LT, await t.numberOf(recordId!), 201)).body;
    expect(applied.status).toBe('applied');
    const row = (await t.list(`${LT}-business`, '/waiting-for-them')).find((x) => x.id === applied.id)!;
    expect(row).toMatchObject({ dueDate: null, overdue: false, workingDaysElapsed: 0 });
    expect(row['dueDateNote']).toMatch(/^2027 年的法定节假日和调休安排尚未载入/);
    const one = (await demo.http.get(`${api}/transfers/${applied.id}`).set(await demo.as('410202-review')).expect(200)).body;
    expect(one).toMatchObject({ dueDate: null, overdue: false });

    expect((await t.act(ZY, applied.id, 'agree', {}, 200)).body.status).toBe('ready');
    expect((await t.act(LT, applied.id, 'complete', {}, 200)).body.status).toBe('completed');
    const moved = (await demo.http.get(`${api}/records/${recordId}`).set(await demo.as(`${LT}-business`)).expect(200)).body;
    expect(moved).toMatchObject({ institutionCode: LT, status: 'numbered' });
    // the stored event holds no due date: nothing guessed to correct once 2027 is loaded
    const timeline = (await demo.http.get(`${api}/transfers/${applied.id}/timeline`).set(await demo.as(`${LT}-business`)).expect(200)).body.items as Array<{ type: string; data: Record<string, unknown> }>;
    expect(timeline[0]!.type).toBe('TransferApplied');
    expect(timeline[0]!.data).not.toHaveProperty('dueDate');
  });

  // last: it moves the suite's clock forward
  it('in January, with 2027 still unknown: an open December transfer is listed as overdue unknown, not hidden', async () => {
    const [recordId] = await t.zy.numbered(1);
    const id = (await t.apply(EQ, await t.numberOf(recordId!), 201)).body.id as string;
    expect(await t.ids('410102-review', '/overdue')).not.toContain(id);

    clock.set('2027-01-20T02:00:00.000Z');
    // sessions end with the time that passed: each account logs in again
    const tokens = new Map<string, string>();
    const login = async (username: string) => {
      if (!tokens.has(username)) tokens.set(username, (await demo.http.post(`${api}/auth/login`).send({ username, password: DEMO_PASSWORD }).expect(200)).body.token);
      return { Authorization: `Bearer ${tokens.get(username)}` };
    };
    const overdue = (await demo.http.get(`${api}/transfers/overdue`).set(await login('410103-review')).expect(200)).body.items as Array<Record<string, unknown> & { id: string }>;
    expect(overdue.find((x) => x.id === id)).toMatchObject({ status: 'applied', dueDate: null, overdue: null, workingDaysElapsed: null });
    // the kindergarten that must act still agrees and the receiving one completes
    await demo.http.post(`${api}/transfers/${id}/agree`).set(await login(`${ZY}-business`)).expect(200);
    const completed = (await demo.http.post(`${api}/transfers/${id}/complete`).set(await login(`${EQ}-business`)).expect(200)).body;
    // read your write: the transfers list follows the log (the completion is one write, its answer comes at once)
    const after = (await demo.http.get(`${api}/transfers/overdue`).set(await login('410103-review')).set('X-Min-Position', String(completed.position)).expect(200)).body.items as Array<{ id: string }>;
    expect(after.map((x) => x.id)).not.toContain(id);
  });
});

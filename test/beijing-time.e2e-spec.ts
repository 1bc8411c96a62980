import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEMO_PASSWORD } from '../src/cli/demo-data.js';
import { EVENT_STORE, type EventStore } from '../src/shared/event-store/event-store.port.js';
import { recordStream } from '../src/records/domain/record.decider.js';
import { SettableClock } from '../src/shared/time/clock.js';
import { child } from './fixtures/children.js';
import { type DemoApp, createDemoApp } from './fixtures/demo-app.js';

/**
 * Business time is Beijing time, from the service's clock (issue 20 item 14): the school year
 * turns at 00:00 on 1 September in Beijing (16:00 UTC the day before), and "today" is the
 * registrar's date in China, also in the early morning when UTC still has yesterday.
 */
describe('records in Beijing time (HTTP, demo province, set clock)', () => {
  const clock = new SettableClock();
  let demo: DemoApp;
  let store: EventStore;
  const KG = '1141010001';

  beforeAll(async () => {
    demo = await createDemoApp({ clock });
    store = demo.app.get<EventStore>(EVENT_STORE);
  }, 120_000);
  afterAll(async () => {
    await demo.app.close();
  });

  /** a session of the business account opened and closed at the clock's time (sessions may follow the clock too) */
  const asBusiness = async (work: (headers: { Authorization: string }) => Promise<void>) => {
    const login = await demo.http.post('/api/v1/auth/login').send({ username: `${KG}-business`, password: DEMO_PASSWORD }).expect(200);
    const headers = { Authorization: `Bearer ${login.body.token}` };
    try {
      await work(headers);
    } finally {
      await demo.http.post('/api/v1/auth/logout').set(headers).expect(200);
    }
  };

  it('from 00:00 on 1 September in Beijing the new school year applies: a child 6 on 31 August is over-age', async () => {
    clock.set('2026-08-31T16:30:00.000Z'); // 00:30 on 1 September 2026 in Beijing; UTC still says 31 August
    await asBusiness(async (headers) => {
      const head = await store.headPosition();
      const six = child('陈晓东', '2020-08-31', 11);
      const refused = await demo.http.post('/api/v1/records').set(headers).send(six).expect(422);
      expect(refused.body).toMatchObject({ code: 'over-age-unconfirmed' });
      expect(refused.body.detail ?? refused.body.message).toMatch(/2026 年 8 月 31 日已满 6 周岁/);
      expect(await store.headPosition()).toBe(head);
      // a day younger: 5 on 31 August 2026, saved; the record carries the clock's instant
      const saved = await demo.http.post('/api/v1/records').set(headers).send(child('陈晓南', '2020-09-01', 13)).expect(201);
      const [event] = await store.readStream(recordStream(saved.body.id));
      expect(event).toMatchObject({ type: 'RecordSaved', data: { savedAt: '2026-08-31T16:30:00.000Z' }, metadata: { occurredAt: '2026-08-31T16:30:00.000Z' } });
    });
  });

  it('at 07:00 in Beijing a child born that day is born today, not in the future', async () => {
    clock.set('2026-08-31T23:00:00.000Z'); // 07:00 on 1 September 2026 in Beijing
    await asBusiness(async (headers) => {
      const newborn = { ...child('林一一', '2026-09-01', 15), idType: 'Z', idNumber: null };
      await demo.http.post('/api/v1/records').set(headers).send(newborn).expect(201);
      const tomorrow = await demo.http.post('/api/v1/records').set(headers).send({ ...newborn, name: '林二二', birthDate: '2026-09-02' }).expect(400);
      expect(tomorrow.body.errors.map((e: { field: string; code: string }) => `${e.field}:${e.code}`)).toEqual(['birthDate:birth-date-future']);
    });
  });
});

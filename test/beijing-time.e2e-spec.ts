import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEMO_PASSWORD } from '../src/cli/demo-data.js';
import { EVENT_STORE, type EventStore } from '../src/shared/event-store/event-store.port.js';
import { recordStream } from '../src/records/domain/record.decider.js';
import type { Logger } from '../src/shared/logging/json-logger.js';
import { SettableClock } from '../src/shared/time/clock.js';
import { WORKING_DAYS, type WorkingDays } from '../src/shared/time/working-days.js';
import { child } from './fixtures/children.js';
import { type DemoApp, createDemoApp } from './fixtures/demo-app.js';
import { createFixtureApp, quietLogger } from './fixtures/fixture-app.js';

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
      // a newborn is under 2: saved once the age is confirmed (issue 22, item 4); refused only as under-age, not as born in the future
      const newborn = { ...child('林一一', '2026-09-01', 15), idType: 'Z', idNumber: null, confirmOverAge: true };
      const { confirmOverAge: _confirm, ...unconfirmed } = newborn;
      expect((await demo.http.post('/api/v1/records').set(headers).send(unconfirmed).expect(422)).body.code).toBe('under-age-unconfirmed');
      await demo.http.post('/api/v1/records').set(headers).send(newborn).expect(201);
      const tomorrow = await demo.http.post('/api/v1/records').set(headers).send({ ...newborn, name: '林二二', birthDate: '2026-09-02' }).expect(400);
      expect(tomorrow.body.errors.map((e: { field: string; code: string }) => `${e.field}:${e.code}`)).toEqual(['birthDate:birth-date-future']);
    });
  });
});


describe('working days in the service (WORKING_DAYS, HOLIDAYS_FILE)', () => {
  const startWith = async (holidays: { years: number[]; holidays: string[]; workdays: string[] } | null) => {
    const warnings: Array<{ msg: string; fields: Record<string, unknown> }> = [];
    const logger: Logger = { ...quietLogger, warn: (msg: string, fields: Record<string, unknown> = {}) => void warnings.push({ msg, fields }) };
    // mid-November 2026: the coming 60 days reach 2027, which chinese-days 1.5 does not have
    const app = await createFixtureApp({ holidays, projectionsThread: 'main' }, logger, new SettableClock('2026-11-15T02:00:00Z'));
    return { app, days: app.get<WorkingDays>(WORKING_DAYS), warnings };
  };

  it('provides the calendar, warns at start about a year ahead that nothing covers, and takes the operator file', async () => {
    const bare = await startWith(null);
    try {
      expect(bare.days.isWorkingDay('2026-10-10')).toBe(true);
      expect(bare.days.covers(2027)).toBe(false);
      expect(bare.warnings).toEqual([expect.objectContaining({ msg: expect.stringMatching(/holiday arrangement unknown/), fields: { years: [2027] } })]);
    } finally {
      await bare.app.close();
    }
    const filed = await startWith({ years: [2027], holidays: ['2027-01-01'], workdays: [] });
    try {
      expect(filed.days.addWorkingDays('2026-12-31', 1)).toBe('2027-01-04');
      expect(filed.warnings.filter((w) => /holiday/.test(w.msg))).toEqual([]);
    } finally {
      await filed.app.close();
    }
  });
});

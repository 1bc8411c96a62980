import type { ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEMO_PASSWORD } from '../src/cli/demo-data.js';
import type { AppConfig } from '../src/config/app-config.js';
import { placementStream } from '../src/enrolment/domain/placement.decider.js';
import { SqliteEventStore } from '../src/shared/event-store/sqlite.event-store.js';
import { APP_CONFIG } from '../src/shared/infrastructure/tokens.js';
import { createDemoApp } from './fixtures/demo-app.js';
import { api, enrolmentHelpers } from './fixtures/enrolment.js';
import { type ServerProcess, startServerProcess } from './fixtures/server-process.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const ROWS = 60;
/** the service kills itself at the write holding the 30th placement (test/fixtures/crash-hook.ts) */
const CRASH_AT = 30;

/**
 * 分班模板导入 across a SIGKILL (issue 14): a real service process importing a 60-row sheet dies
 * at the write that holds its 30th placement, before or after the store has it. After the
 * restart the batch is there with all 60 placements or nothing is (never 29 children placed
 * without a batch), and the roster, the import list and a second upload of the same file agree.
 */
describe('class-assignment import: SIGKILL of the running service while it imports', () => {
  const children: ChildProcess[] = [];
  let prepared: string;
  let classId: string;
  let recordIds: string[];
  let sheet: Buffer;

  beforeAll(async () => {
    const demo = await createDemoApp();
    const h = enrolmentHelpers(demo, '1141010001', 900);
    classId = await h.createClass('小九班', '小班');
    recordIds = await h.numbered(ROWS, '2022-10-01');
    const book = new ExcelJS.Workbook();
    const data = book.addWorksheet('分班');
    data.addRow(['幼儿学籍号或身份证件号码*', '班级名称*']);
    for (const id of recordIds) data.addRow([(await h.record(id)).recordNumber, '小九班']);
    sheet = Buffer.from(await book.xlsx.writeBuffer());
    prepared = demo.app.get<AppConfig>(APP_CONFIG).dataDir;
    await demo.http.post(`${api}/auth/logout`).set(await h.business()).expect(200); // one live session per account
    await demo.app.close();
  }, 240_000);
  afterAll(() => {
    for (const child of children) child.kill('SIGKILL');
  });

  const call = async (server: ServerProcess, path: string, init: { token?: string; json?: unknown; file?: Buffer; headers?: Record<string, string> } = {}) => {
    const body = init.file ?? (init.json !== undefined ? JSON.stringify(init.json) : undefined);
    const res = await fetch(`${server.url}${api}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { ...(body !== undefined ? { 'Content-Type': init.file ? XLSX : 'application/json' } : {}), ...(init.token ? { Authorization: `Bearer ${init.token}` } : {}), ...init.headers },
      ...(body !== undefined ? { body } : {}),
    });
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };

  async function crashWhileImporting(when: 'before' | 'after'): Promise<'nothing' | 'whole'> {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'assignment-crash-')), 'data');
    cpSync(prepared, dataDir, { recursive: true });
    const first = await startServerProcess(dataDir, children, { env: { TEST_CRASH_ON: `ChildPlaced:${CRASH_AT}:${when}` } });
    const session = await call(first, '/auth/login', { json: { username: '1141010001-business', password: DEMO_PASSWORD } });
    expect(session.status).toBe(200);
    const token = session.body['token'] as string;
    const importing = await call(first, '/classes/assignment-imports', { token, file: sheet }).then((res) => `answered ${res.status}`, () => 'connection-died');
    if (importing !== 'connection-died') first.child.kill('SIGTERM');
    expect(importing).toBe('connection-died');
    await first.exited;
    expect(first.child.signalCode).toBe('SIGKILL');

    // what the log holds after the crash
    const store = new SqliteEventStore(join(dataDir, 'events.sqlite'));
    const placed = (await Promise.all(recordIds.map(async (id) => (await store.readStream(placementStream(id))).some((e) => e.type === 'ChildPlaced')))).filter(Boolean).length;
    const batches = (await store.readAll({ after: 0, maxCount: 1_000_000, types: ['ClassAssignmentsImported'] })).filter((e) => e.type === 'ClassAssignmentsImported');
    expect([0, ROWS]).toContain(placed); // never part of the sheet
    expect(batches).toHaveLength(placed === 0 ? 0 : 1);

    const second = await startServerProcess(dataDir, children);
    const fresh = { 'X-Min-Position': String(await store.headPosition()), 'X-Wait-Ms': '15000' };
    const roster = await call(second, `/classes/${classId}`, { token, headers: fresh });
    const members = (roster.body['children'] as Array<{ recordId: string }>).map((c) => c.recordId).sort();
    const list = (await call(second, '/classes/assignment-imports', { token, headers: fresh })).body['items'] as Array<{ batchId: string; placed: number; rows: number }>;
    const again = await call(second, '/classes/assignment-imports', { token, file: sheet });
    expect(again.status).toBe(200);
    if (placed === 0) {
      // nothing: no child in the class, no batch; the same file imports whole
      expect(members).toEqual([]);
      expect(list).toEqual([]);
      expect(again.body).toMatchObject({ rows: ROWS, placed: ROWS, unchanged: 0, failed: 0 });
    } else {
      // the whole batch: every child in the class, the batch listed with all of them
      expect(members).toEqual([...recordIds].sort());
      expect(list.map((b) => [b.batchId, b.rows, b.placed])).toEqual([[batches[0]!.data['batchId'], ROWS, ROWS]]);
      expect(again.body).toMatchObject({ rows: ROWS, placed: 0, unchanged: ROWS, failed: 0 });
    }
    await store.close();
    second.child.kill('SIGTERM');
    await second.exited;
    return placed === 0 ? 'nothing' : 'whole';
  }

  it('killed as the placements are handed to the store: nothing of the batch, the file imports again', async () => {
    expect(await crashWhileImporting('before')).toBe('nothing');
  }, 120_000);

  it('killed once the placements are stored: the whole batch, before it answered', async () => {
    expect(await crashWhileImporting('after')).toBe('whole');
  }, 120_000);
});

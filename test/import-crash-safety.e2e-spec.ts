import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SqliteEventStore } from '../src/shared/event-store/sqlite.event-store.js';
import type { RecordedEvent } from '../src/shared/event-store/event-store.port.js';
import { type ServerProcess, FIXTURE_SERVER, startServerProcess } from './fixtures/server-process.js';
import { templateFile } from './fixtures/template-file.js';

const SERVER = FIXTURE_SERVER;
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const ROWS = 20_000;
const ADMIN_PASSWORD = 'Crash#Admin2026';
const NEW_PASSWORD = 'Kinder#Reg2026';
/** WAL growth that means the import's records are being written (20,000 records are about 25 MB) */
const IN_COMMIT_BYTES = 12 * 1024 * 1024;

type Server = ServerProcess;

/**
 * SIGKILL in the commit phase of a 20,000-row template import (issue 20 item 13): after the
 * restart either the whole batch is stored (its records, its summary and log) or nothing is
 * (no record with its batch id, no child "already present", so the same file imports again).
 */
describe('crash safety: SIGKILL during the commit phase of a 20,000-row template import', () => {
  const children: ChildProcess[] = [];
  let file: Buffer;
  beforeAll(async () => {
    file = await templateFile(ROWS);
  }, 60_000);
  afterAll(() => {
    for (const child of children) child.kill('SIGKILL');
  });

  const startServer = (dataDir: string): Promise<Server> => startServerProcess(dataDir, children, { env: { BOOTSTRAP_ADMIN_PASSWORD: ADMIN_PASSWORD } });

  const api = (server: Server, path: string, init: { method?: string; token?: string; body?: unknown; type?: string; headers?: Record<string, string> } = {}) =>
    fetch(`${server.url}/api/v1${path}`, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: { ...(init.body !== undefined ? { 'Content-Type': init.type ?? 'application/json' } : {}), ...(init.token ? { Authorization: `Bearer ${init.token}` } : {}), ...init.headers },
      ...(init.body !== undefined ? { body: Buffer.isBuffer(init.body) ? init.body : JSON.stringify(init.body) } : {}),
    });
  const json = async (res: Response): Promise<Record<string, any>> => {
    const body = (await res.json()) as Record<string, any>;
    if (!res.ok) throw new Error(`${res.status} ${JSON.stringify(body).slice(0, 300)}`);
    return body;
  };
  const login = async (server: Server, username: string, password: string, newPassword: string): Promise<string> => {
    const session = await json(await api(server, '/auth/login', { body: { username, password } }));
    if (session['mustChangePassword']) await json(await api(server, '/auth/password', { token: session['token'], body: { currentPassword: password, newPassword } }));
    return String(session['token']);
  };
  const upload = (server: Server, token: string) => api(server, '/records/imports', { token, body: file, type: XLSX, headers: { 'X-File-Name': encodeURIComponent('2026级小班.xlsx') } });

  /** A province with one kindergarten and its registrar's token (a session survives the restart). */
  async function kindergarten(server: Server): Promise<string> {
    const admin = await login(server, 'admin', ADMIN_PASSWORD, 'Crash#Root2027');
    const csv = '机构标识码,机构名称,机构类别,行政区划代码,办别,办学许可证号\n1141010001,郑州市中原区第一幼儿园,幼儿园,410102,公办,\n';
    const sync = await json(await api(server, '/institution-registry/sync', { token: admin, body: Buffer.from(csv), type: 'text/csv' }));
    const account = (sync['accounts'] as Array<{ username: string; initialPassword: string }>).find((a) => a.username === '1141010001-business')!;
    return login(server, account.username, account.initialPassword, NEW_PASSWORD);
  }

  const walSize = (dataDir: string): number => {
    try {
      return statSync(join(dataDir, 'events.sqlite-wal')).size;
    } catch {
      return 0;
    }
  };

  async function crashDuringImport(kill: 'while-writing' | 'once-committed') {
    expect(existsSync(SERVER)).toBe(true); // built by `npm test` (npm run build) before jest runs
    const dataDir = mkdtempSync(join(tmpdir(), 'import-crash-'));
    const first = await startServer(dataDir);
    const token = await kindergarten(first);
    const head = new Database(join(dataDir, 'events.sqlite'), { readonly: true });
    const headNow = () => head.prepare('SELECT COALESCE(MAX(position), 0) AS p FROM events').get() as { p: number };
    const headBefore = headNow().p;
    const walBefore = walSize(dataDir);

    let answered: number | 'connection-died' | null = null;
    const importing = upload(first, token).then(
      (res) => (answered = res.status),
      () => (answered = 'connection-died'),
    );
    // the commit phase: records committed (the log head moved), or, while writing, the records'
    // pages reaching the WAL before their transaction commits
    const inCommit = () => headNow().p > headBefore || (kill === 'while-writing' && walSize(dataDir) - walBefore > IN_COMMIT_BYTES);
    const deadline = Date.now() + 120_000;
    while (!inCommit() && answered === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 2));
    // while writing, the import has not answered yet; once committed it may just have
    if (kill === 'while-writing') expect(answered).toBeNull();
    first.child.kill('SIGKILL');
    await importing;
    await first.exited;
    head.close();
    expect(first.child.signalCode).toBe('SIGKILL');

    const second = await startServer(dataDir);
    const events = new SqliteEventStore(join(dataDir, 'events.sqlite'));
    const log = await readAll(events);
    const imported = log.filter((e) => e.type === 'RecordSaved' && e.data['importRef']);
    const batches = new Set(imported.map((e) => String((e.data['importRef'] as { batchId: string }).batchId)));
    const summaries = log.filter((e) => e.type === 'RecordsImported');
    const caughtUp = { 'X-Min-Position': String(await events.headPosition()), 'X-Wait-Ms': '15000' };
    await events.close();
    // the read models caught up with the log after the restart (20,000 records may take a while)
    for (let i = 0; (await api(second, '/records/saved?limit=1', { token, headers: caughtUp })).status !== 200; i++) expect(i).toBeLessThan(8);
    const list = await json(await api(second, '/records/imports', { token, headers: caughtUp }));
    const again = await json(await upload(second, token));

    if (imported.length === 0) {
      // nothing: no record, no batch, no key claimed: the same file imports whole
      expect(summaries).toHaveLength(0);
      expect(list['items']).toHaveLength(0);
      expect(again).toMatchObject({ rows: ROWS, saved: ROWS, alreadyPresent: 0, failed: 0 });
    } else {
      // the whole batch: every record, its summary and its log
      expect(batches.size).toBe(1);
      const [batchId] = [...batches];
      expect(imported).toHaveLength(ROWS);
      expect(summaries.map((e) => [e.data['batchId'], e.data['saved']])).toEqual([[batchId, ROWS]]);
      expect(list['items'].map((i: Record<string, unknown>) => i['id'])).toEqual([batchId]);
      expect(await json(await api(second, `/records/imports/${batchId}`, { token }))).toMatchObject({ rows: ROWS, saved: ROWS });
      expect((await api(second, `/records/imports/${batchId}/log.xlsx`, { token })).status).toBe(200);
      expect(again).toMatchObject({ rows: ROWS, saved: 0, alreadyPresent: ROWS });
    }
    second.child.kill('SIGTERM');
    await second.exited;
    return imported.length === 0 ? 'nothing' : 'whole';
  }

  it('killed while the records are being written: the whole batch or nothing', async () => {
    const outcome = await crashDuringImport('while-writing');
    expect(['nothing', 'whole']).toContain(outcome);
  }, 240_000);

  it('killed as soon as records are committed: the whole batch with its summary and log', async () => {
    expect(await crashDuringImport('once-committed')).toBe('whole');
  }, 240_000);
});

async function readAll(store: SqliteEventStore): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  for (let after = 0; ; ) {
    const page = await store.readAll({ after, maxCount: 5000, types: ['RecordSaved', 'RecordsImported'] });
    if (page.length === 0) return out;
    out.push(...page.filter((e) => e.type === 'RecordSaved' || e.type === 'RecordsImported'));
    after = page[page.length - 1]!.position;
  }
}

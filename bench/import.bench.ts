import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { createApp } from '../src/bootstrap.js';
import { loadConfig } from '../src/config/app-config.js';
import { encryptionSetting } from './encryption-setting.js';
import { ProjectionManager } from '../src/shared/projections/projection-manager.js';
import { TEMPLATE_COLUMNS } from '../src/records/domain/template-columns.js';
import { benchIdNumber, fromIdNumber } from './children.js';
import { type Metric, metric } from './report.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

/** A filled template of `rows` distinct children (every column a registrar usually fills). */
export async function templateFile(rows: number, offset: number): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: false });
  const sheet = workbook.addWorksheet('幼儿信息');
  sheet.addRow(TEMPLATE_COLUMNS.map((c) => (c.required ? `${c.header}*` : c.header))).commit();
  const at = new Map(TEMPLATE_COLUMNS.map((c, i) => [c.key, i]));
  for (let i = 0; i < rows; i++) {
    const id = benchIdNumber(offset + i);
    const { birthDate, gender } = fromIdNumber(id);
    const values: unknown[] = new Array(TEMPLATE_COLUMNS.length).fill(null);
    const set = (key: string, value: unknown) => (values[at.get(key as never)!] = value);
    set('name', `幼儿${String.fromCharCode(0x4e00 + (i % 20000))}`);
    set('gender', gender === '1' ? '1-男' : '2-女');
    set('birthDate', birthDate.replaceAll('-', '/'));
    set('idType', '1-居民身份证');
    set('idNumber', id);
    set('nationality', 'CHN-中国');
    set('ethnicity', '01-汉族');
    set('hkMacaoTaiwan', '00-否');
    set('householdCode', '410102');
    set('address', '河南省郑州市中原区建设路 12 号院 3 号楼');
    set('onlyChild', '否');
    set('guardian1Name', '王大明');
    set('guardian1Relation', '父亲');
    set('guardian1Phone', '13800000000');
    sheet.addRow(values).commit();
  }
  sheet.commit();
  await workbook.commit();
  return Buffer.concat(chunks);
}

/**
 * The ceiling of an import: exceljs's streaming reader alone on the same file (the options the
 * service's reader uses), every row read, nothing parsed or stored; in this thread.
 */
export async function bareRead(file: Buffer): Promise<{ rows: number; seconds: number }> {
  const start = process.hrtime.bigint();
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([file]), { sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'cache', worksheets: 'emit', entries: 'ignore' });
  let rows = 0;
  for await (const sheet of reader) {
    for await (const row of sheet as AsyncIterable<unknown>) if (row) rows++;
  }
  return { rows: rows - 1, seconds: Number(process.hrtime.bigint() - start) / 1e9 };
}

async function json(res: Response): Promise<Record<string, unknown>> {
  const body = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`${res.status} ${JSON.stringify(body).slice(0, 300)}`);
  return body;
}

/**
 * Template import end to end over real HTTP (upload -> response): the service and the client in
 * one process, on the embedded stores with synchronous=FULL. Memory is the resident set's peak
 * above its level just before the upload, sampled every 5 ms.
 */
export async function benchImport(options: { bigRows: number }): Promise<{ rows: Metric[]; notes: Record<string, unknown> }> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-import-'));
  const app = await createApp({ config: { ...loadConfig(encryptionSetting()), dataDir: dir, bootstrapAdminPassword: 'Bench#Admin2026' }, logger: quiet });
  try {
    await app.listen(0, '127.0.0.1');
    const base = await app.getUrl();
    const post = (path: string, body: unknown, token?: string, type = 'application/json') =>
      fetch(`${base}/api/v1${path}`, { method: 'POST', headers: { 'Content-Type': type, ...(token ? { Authorization: `Bearer ${token}` } : {}) }, body: type === 'application/json' ? JSON.stringify(body) : (body as Buffer) });
    const login = async (username: string, password: string) => {
      const session = await json(await post('/auth/login', { username, password }));
      if (session['mustChangePassword']) await json(await post('/auth/password', { currentPassword: password, newPassword: 'Bench#Pass2026' }, String(session['token'])));
      return String(session['token']);
    };
    const admin = await login('admin', 'Bench#Admin2026');
    const csv = '机构标识码,机构名称,机构类别,行政区划代码,办别,办学许可证号\n1141010001,郑州市中原区第一幼儿园,幼儿园,410102,公办,\n1141010002,郑州市中原区第二幼儿园,幼儿园,410102,公办,\n';
    const sync = await json(await post('/institution-registry/sync', Buffer.from(csv), admin, 'text/csv'));
    const accounts = sync['accounts'] as Array<{ username: string; initialPassword: string }>;
    const token = async (username: string) => login(username, accounts.find((a) => a.username === username)!.initialPassword);

    const measure = async (file: Buffer, registrar: string) => {
      global.gc?.();
      const baseline = process.memoryUsage().rss;
      let peak = baseline;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
      const start = process.hrtime.bigint();
      const result = await json(await post('/records/imports', file, registrar, XLSX));
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      clearInterval(sampler);
      return { seconds, extraMb: (peak - baseline) / 1024 / 1024, saved: Number(result['saved']), position: Number(result['position']), issues: JSON.stringify(result['issues']).slice(0, 500) };
    };

    const small = await templateFile(1000, 0);
    const first = await measure(small, await token('1141010001-business'));
    if (first.saved !== 1000) throw new Error(`1,000-row import saved ${first.saved}: ${first.issues}`);
    const manager = app.get(ProjectionManager);
    await manager.waitFor(first.position, 60_000);

    const big = await templateFile(options.bigRows, 1000);
    const second = await measure(big, await token('1141010002-business'));
    if (second.saved !== options.bigRows) throw new Error(`${options.bigRows}-row import saved ${second.saved}: ${second.issues}`);
    const projectStart = process.hrtime.bigint();
    await manager.waitFor(second.position, 600_000);
    const projectSeconds = Number(process.hrtime.bigint() - projectStart) / 1e9;

    const bareSmall = await bareRead(small);
    const bareBig = await bareRead(big);
    const k = (n: number) => `${(n / 1000).toFixed(0)}k`;
    return {
      rows: [
        metric('import 1,000-row template, upload -> response', first.seconds * 1000, 'ms', { atMost: 1000 }),
        metric('import 1,000-row template, extra memory (RSS peak)', first.extraMb, 'MB', { atMost: 120 }),
        metric('exceljs bare streaming read of the 1,000-row file (ceiling)', bareSmall.seconds * 1000, 'ms'),
        metric(`import ${k(options.bigRows)}-row template, upload -> response`, options.bigRows / second.seconds, 'rows/s', { atLeast: 10_000 }),
        metric(`exceljs bare streaming read of the ${k(options.bigRows)}-row file (ceiling)`, bareBig.rows / bareBig.seconds, 'rows/s'),
        metric(`import ${k(options.bigRows)} rows / bare streaming read`, options.bigRows / second.seconds / (bareBig.rows / bareBig.seconds), 'ratio'),
        metric(`import ${k(options.bigRows)}-row template, extra memory (RSS peak)`, second.extraMb, 'MB'),
        metric(`import ${k(options.bigRows)} rows: read models caught up after the response`, projectSeconds, 's'),
      ],
      notes: { import: { smallFileKb: Math.round(small.length / 1024), bigFileKb: Math.round(big.length / 1024), bigRows: options.bigRows } },
    };
  } finally {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

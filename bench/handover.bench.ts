// The hand-over's matching (issue 16): a primary school's new-pupil list matched against the
// province's preschool records by index lookups on the records read model, beside a bare index
// lookup on the same store. The province's records read model is written straight into an
// embedded read store (the documents the records projection builds), so the figure is the
// matching's own, at any province size, without generating the province's event log first.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Principal } from '../src/accounts/contracts/index.js';
import { ImportPupilList, ImportPupilListHandler } from '../src/handover/application/pupil-list-import.js';
import { PupilMatcher } from '../src/handover/application/pupil-matcher.js';
import type { Pupil } from '../src/handover/domain/pupil.js';
import { HANDOVER_EVENTS } from '../src/handover/domain/handover.events.js';
import { RECORDS } from '../src/records/application/record-reads.js';
import { recordsProjection } from '../src/records/projections/records.projection.js';
import { CommandPath } from '../src/shared/command/command-path.js';
import { SqliteEventStore } from '../src/shared/event-store/sqlite.event-store.js';
import { EventRegistry } from '../src/shared/events/event-registry.js';
import type { DocWrite } from '../src/shared/read-store/read-store.port.js';
import { SqliteReadStore } from '../src/shared/read-store/sqlite.read-store.js';
import { systemClock } from '../src/shared/time/clock.js';
import { benchIdNumber, fromIdNumber } from './children.js';
import { type Metric, metric } from './report.js';

const PROVINCE_SCALE = 5_000_000;
const SEED_BATCH = 5_000;
const nameOf = (n: number): string => `幼${String.fromCharCode(0x4e00 + (n % 20000))}${String.fromCharCode(0x4e00 + (Math.floor(n / 20000) % 20000))}`;

/** a record id of the n-th child (the records read model keys documents by the record's uuid) */
const recordId = (n: number): string => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

/** The records projection's document of the n-th child: numbered, in a kindergarten of 中原区. */
function recordDoc(n: number) {
  const idNumber = benchIdNumber(n);
  return {
    id: recordId(n), institutionCode: `11410100${String(n % 100).padStart(2, '0')}`, divisionCode: '410102', status: 'numbered', recordNumber: `G${idNumber}`,
    name: nameOf(n), idType: '1', idNumber, ...fromIdNumber(idNumber), presenceKey: `id:${idNumber}`, visibleAbove: true, classId: null, updatedAt: '2027-07-01T02:00:00.000Z',
  };
}

/**
 * The pupils of a list drawn from the province: mostly matched, some with another name (to
 * confirm), some without an ID number (to confirm by name, gender and birth date), some nobody.
 */
function pupils(count: number, offset: number, province: number): Pupil[] {
  return Array.from({ length: count }, (_, i) => {
    const n = (offset + i * 7919) % province;
    const doc = recordDoc(n);
    const kind = i % 20;
    if (kind === 0) return { name: '新同学', gender: '1', birthDate: '2021-01-01', idType: '1', idNumber: benchIdNumber(province + offset + i) };
    if (kind === 1) return { name: doc.name, gender: doc.gender, birthDate: doc.birthDate, idType: 'Z', idNumber: null };
    if (kind === 2) return { name: `${doc.name}改`, gender: doc.gender, birthDate: doc.birthDate, idType: '1', idNumber: doc.idNumber };
    return { name: doc.name, gender: doc.gender, birthDate: doc.birthDate, idType: '1', idNumber: doc.idNumber };
  });
}

async function listFile(list: Pupil[]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('新生名单');
  sheet.addRow(['姓名*', '性别*', '出生日期*', '身份证件类型*', '身份证件号码']);
  for (const p of list) sheet.addRow([p.name, p.gender === '1' ? '1-男' : '2-女', p.birthDate, p.idType === '1' ? '1-居民身份证' : 'Z-其他', p.idNumber ?? '']);
  return Buffer.from(await book.xlsx.writeBuffer());
}

export async function benchHandover(options: { records: number; bigList: number; progress: (line: string) => void }): Promise<{ rows: Metric[]; notes: Record<string, unknown> }> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-handover-'));
  const belowScale = options.records < PROVINCE_SCALE;
  const scale = { belowScale, note: `at ${PROVINCE_SCALE / 1e6} M records` };
  try {
    const reads = new SqliteReadStore(join(dir, 'read.sqlite'));
    await reads.ensureCollection(RECORDS, recordsProjection.collections['records']!);
    const seeded = process.hrtime.bigint();
    for (let from = 0; from < options.records; from += SEED_BATCH) {
      const writes: DocWrite[] = [];
      for (let n = from; n < Math.min(options.records, from + SEED_BATCH); n++) writes.push({ collection: RECORDS, id: recordId(n), doc: recordDoc(n), position: n + 1 });
      await reads.applyBatch('records@v1', writes, Math.min(options.records, from + SEED_BATCH));
      if (from % 500_000 === 0 && from > 0) options.progress(`  handover: ${from.toLocaleString('en')} records written`);
    }
    const seedSeconds = Number(process.hrtime.bigint() - seeded) / 1e9;
    const matcher = new PupilMatcher(reads);

    // a bare index lookup: one ID number, one query
    const lookups = 2_000;
    let t = process.hrtime.bigint();
    for (let i = 0; i < lookups; i++) await reads.find(RECORDS, { idNumber: benchIdNumber((i * 104_729) % options.records) }, { limit: 10 });
    const lookupMs = Number(process.hrtime.bigint() - t) / 1e6 / lookups;

    // a 1,000-pupil list end to end below HTTP: read the xlsx, parse and check every row, match, store the list (one append)
    const store = new SqliteEventStore(join(dir, 'events.sqlite'));
    const commands = new CommandPath(store, new EventRegistry().register(HANDOVER_EVENTS));
    const handler = new ImportPupilListHandler(commands, matcher, systemClock);
    const principal = { accountId: 'bench', username: '2141010101-registrar', realName: '学籍管理员', role: 'school-registrar', level: 'institution', divisionCode: '410102', institutionCode: '2141010101', organisationId: '2141010101', sessionId: 's', mustChangePassword: false } as Principal;
    const context = { actor: { accountId: 'bench', role: 'school-registrar', organisationId: '2141010101' }, correlationId: randomUUID(), causationId: null };
    const lists: number[] = [];
    let counts: Record<string, number> = {};
    for (let round = 0; round < 5; round++) {
      const file = await listFile(pupils(1_000, round * 1_000, options.records));
      t = process.hrtime.bigint();
      const outcome = await handler.execute(new ImportPupilList(principal, file, '新生名单.xlsx', context));
      lists.push(Number(process.hrtime.bigint() - t) / 1e6);
      counts = outcome.counts;
    }
    lists.sort((a, b) => a - b);

    // throughput: 50,000 pupils matched, 2,000 at a time (a list's most)
    const big = pupils(options.bigList, 500_000, options.records);
    t = process.hrtime.bigint();
    for (let i = 0; i < big.length; i += 2_000) await matcher.match(big.slice(i, i + 2_000));
    const perSecond = big.length / (Number(process.hrtime.bigint() - t) / 1e9);
    await store.close();
    await reads.close();
    return {
      rows: [
        metric(`handover: bare index lookup (idNumber) among ${options.records.toLocaleString('en')} records`, lookupMs, 'ms'),
        metric('handover: 1,000-pupil list, read + checked + matched + stored (median of 5)', lists[2]! / 1000, 's', { atMost: 1, ...scale }),
        metric(`handover: matching ${options.bigList.toLocaleString('en')} pupils (lists of 2,000)`, perSecond, 'entries/s', { atLeast: 10_000, ...scale }),
      ],
      notes: { handover: { records: options.records, seedSeconds: Math.round(seedSeconds), listMs: lists.map(Math.round), outcomesOfLastList: counts, readModel: 'sqlite records collection written directly (the records projection\'s documents)' } },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

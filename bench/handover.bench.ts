// The hand-over's matching (issue 16): a primary school's new-pupil list matched against the
// province's preschool records by index lookups on the records read model, beside a bare index
// lookup on the same store. The province's records read model is written straight into an
// embedded read store (the documents the records projection builds, by its own evolve), so the
// figure is the matching's own, at any province size, without generating the province's event log
// first. Encryption at rest is on, as it is by default in production (ADR 23): the documents go
// through the EncryptingReadStore (keyed hashes of name, ID number, presence key and record
// number, the values sealed with a data key per child in keys.sqlite), the matcher reads through
// it (hashed $in, then every found record opened with its child's key), and the list's one event
// is sealed per pupil entry by the EncryptingEventStore.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
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
import type { RecordedEvent } from '../src/shared/event-store/event-store.port.js';
import { SqliteEventStore } from '../src/shared/event-store/sqlite.event-store.js';
import { EventRegistry, defaultSchemaDir } from '../src/shared/events/event-registry.js';
import { EncryptingEventStore, eventShapes } from '../src/shared/personal-data/encrypting.event-store.js';
import { EncryptingReadStore } from '../src/shared/personal-data/encrypting.read-store.js';
import { openKeyedHasher } from '../src/shared/personal-data/hash-secret.js';
import { type PersonalData, loadKeyring, personalDataFor } from '../src/shared/personal-data/personal-data.js';
import type { Doc, DocWrite } from '../src/shared/read-store/read-store.port.js';
import { SqliteReadStore } from '../src/shared/read-store/sqlite.read-store.js';
import { systemClock } from '../src/shared/time/clock.js';
import { benchIdNumber, fromIdNumber } from './children.js';
import { type Metric, metric } from './report.js';

const PROVINCE_SCALE = 5_000_000;
/** documents per read-store transaction (and per keys.sqlite transaction: one fsync for the batch's data keys) */
const SEED_BATCH = 10_000;
/** the data-key cache grows with every child: seeding reopens the key store this often, as a restarted service would */
const KEY_CACHE_CHILDREN = 500_000;
const nameOf = (n: number): string => `幼${String.fromCharCode(0x4e00 + (n % 20000))}${String.fromCharCode(0x4e00 + (Math.floor(n / 20000) % 20000))}`;

/** a record id of the n-th child (the records read model keys documents by the record's uuid) */
const recordId = (n: number): string => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

const RECORDS_SHAPE = recordsProjection.collections['records']!;
const occurred = (minute: number) => `2026-09-01T02:${String(minute).padStart(2, '0')}:00.000Z`;
/** the stored events of a numbered record, as much of them as the records projection reads */
function numberedHistory(n: number): RecordedEvent[] {
  const idNumber = benchIdNumber(n);
  const child = { name: nameOf(n), idType: '1', idNumber, ...fromIdNumber(idNumber) };
  const data = { recordId: recordId(n) };
  const steps: Array<[string, Record<string, unknown>]> = [
    ['RecordSaved', { ...data, institutionCode: `11410100${String(n % 100).padStart(2, '0')}`, divisionCode: '410102', importRef: null, overAgeConfirmed: false, child }],
    ['RecordSubmitted', data], ['RecordPassedDeduplication', data], ['RecordApproved', data], ['RecordNumberIssued', { ...data, recordNumber: `G${idNumber}` }],
  ];
  return steps.map(([type, d], i) => ({ type, data: d, streamId: `record-${d['recordId']}`, revision: i, position: n * 5 + i + 1, recordedAt: occurred(i), metadata: { occurredAt: occurred(i) } }) as unknown as RecordedEvent);
}

/** The records projection's document of the n-th child (numbered, in a kindergarten of 中原区), by the projection's own evolve. */
function recordDoc(n: number): Doc {
  let doc: Doc | null = null;
  for (const event of numberedHistory(n)) doc = recordsProjection.evolve('records', doc, event as never, recordId(n)) as Doc | null;
  return doc!;
}

/**
 * The pupils of a list drawn from the province: mostly matched, some with another name (to
 * confirm), some without an ID number (to confirm by name, gender and birth date), some nobody.
 */
function pupils(count: number, offset: number, province: number): Pupil[] {
  return Array.from({ length: count }, (_, i) => {
    const n = (offset + i * 7919) % province;
    const doc = recordDoc(n) as Doc & Pupil;
    const kind = i % 20;
    // nobody: an ID number beyond the province's, its birth date and gender as the number says (a row that passes the checks)
    if (kind === 0) {
      const idNumber = benchIdNumber(province + offset + i);
      return { name: '新同学', ...fromIdNumber(idNumber), idType: '1', idNumber };
    }
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

const folderBytes = (dir: string): number => readdirSync(dir).reduce((sum, f) => sum + statSync(join(dir, f)).size, 0);

/**
 * `dir`: a folder kept between runs (the 5 M province takes a while to seed): seeding resumes
 * from the records already written there, and the folder is not removed afterwards.
 */
export async function benchHandover(options: { records: number; bigList: number; progress: (line: string) => void; dir?: string }): Promise<{ rows: Metric[]; notes: Record<string, unknown> }> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'bench-handover-'));
  mkdirSync(dir, { recursive: true });
  const belowScale = options.records < PROVINCE_SCALE;
  const scale = { belowScale, note: `at ${PROVINCE_SCALE / 1e6} M records` };
  const keyring = loadKeyring(dir, null, []);
  // the deployment's keyed-hash secret, kept in the bench folder as the service keeps it in its data folder
  const hasher = openKeyedHasher({ dataDir: dir, personalDataHashSecret: null, personalDataHashKeyFile: null });
  let inner = new SqliteReadStore(join(dir, 'read.sqlite'));
  let pd: PersonalData | null = null;
  try {
    const before = (await inner.getCheckpoint('records@v1')) ?? 0;
    if (before > options.records) throw new Error(`${dir} holds ${before} records, more than --children ${options.records}: use another folder`);
    let seedSeconds: number | null = null;
    let indexSeconds: number | null = null;
    if (before < options.records || !existsSync(join(dir, 'indexed'))) {
      // a rebuild's order: the collection without indexes, every document, then the indexes
      const seeded = process.hrtime.bigint();
      let reads: EncryptingReadStore | null = null;
      for (let from = before; from < options.records; from += SEED_BATCH) {
        if (!reads || (from - before) % KEY_CACHE_CHILDREN === 0) {
          pd?.release();
          pd = await personalDataFor({ dataDir: dir, keyring, hasher });
          reads = new EncryptingReadStore(inner, pd);
          await reads.ensureCollection(RECORDS, { indexes: [], personal: RECORDS_SHAPE.personal! });
        }
        const to = Math.min(options.records, from + SEED_BATCH);
        const writes: DocWrite[] = [];
        for (let n = from; n < to; n++) writes.push({ collection: RECORDS, id: recordId(n), doc: recordDoc(n), position: n + 1 });
        await reads.applyBatch('records@v1', writes, to);
        if (to % 250_000 === 0) options.progress(`  handover: ${to.toLocaleString('en')} records written (${Math.round(Number(process.hrtime.bigint() - seeded) / 1e9)} s)`);
      }
      const indexing = process.hrtime.bigint();
      pd?.release();
      pd = await personalDataFor({ dataDir: dir, keyring, hasher });
      await new EncryptingReadStore(inner, pd).ensureCollection(RECORDS, RECORDS_SHAPE);
      indexSeconds = Number(process.hrtime.bigint() - indexing) / 1e9;
      seedSeconds = Number(process.hrtime.bigint() - seeded) / 1e9;
      mkdirSync(join(dir, 'indexed'), { recursive: true });
      options.progress(`  handover: ${options.records.toLocaleString('en')} records seeded in ${Math.round(seedSeconds)} s (indexes ${Math.round(indexSeconds)} s)`);
    }
    // the service after a restart: the store reopened (its WAL checkpointed into the file), a cold data-key cache
    if (seedSeconds !== null) {
      await inner.close();
      inner = new SqliteReadStore(join(dir, 'read.sqlite'));
    }
    pd?.release();
    pd = await personalDataFor({ dataDir: dir, keyring, hasher });
    const reads = new EncryptingReadStore(inner, pd);
    await reads.ensureCollection(RECORDS, RECORDS_SHAPE);
    const diskBytes = folderBytes(dir);
    const matcher = new PupilMatcher(reads);

    // a bare index lookup: one ID number's keyed hash, one query on the store below the encryption
    const lookups = 2_000;
    const hashes = Array.from({ length: lookups }, (_, i) => pd!.searchToken('search:idNumber', benchIdNumber((i * 104_729) % options.records)));
    let t = process.hrtime.bigint();
    for (const hash of hashes) await inner.find(RECORDS, { idNumber: hash }, { limit: 10 });
    const lookupMs = Number(process.hrtime.bigint() - t) / 1e6 / lookups;
    // the same through the encryption, as the service reads: hash the number, look up, open the record with its child's key
    t = process.hrtime.bigint();
    for (let i = 0; i < lookups; i++) await reads.find(RECORDS, { idNumber: benchIdNumber((i * 104_729 + 7) % options.records) }, { limit: 10 });
    const openedLookupMs = Number(process.hrtime.bigint() - t) / 1e6 / lookups;

    // a 1,000-pupil list end to end below HTTP: read the xlsx, parse and check every row, match, store the list (one append, sealed per entry)
    const store = new EncryptingEventStore(new SqliteEventStore(join(dir, `events-${randomUUID()}.sqlite`)), eventShapes([defaultSchemaDir()]), pd.retain());
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
    // the process's own CPU time beside the wall clock: on a shared machine the wall clock mostly measures the others' load
    const cpu = process.cpuUsage();
    for (let i = 0; i < big.length; i += 2_000) await matcher.match(big.slice(i, i + 2_000));
    const perSecond = big.length / (Number(process.hrtime.bigint() - t) / 1e9);
    const used = process.cpuUsage(cpu);
    const perCpuSecond = big.length / ((used.user + used.system) / 1e6);
    await store.close();
    return {
      rows: [
        metric(`handover: bare index lookup (keyed hash of an idNumber, below the encryption) among ${options.records.toLocaleString('en')} records`, lookupMs, 'ms'),
        metric('handover: the same lookup through the encryption (hash, query, open the record)', openedLookupMs, 'ms'),
        metric('handover: 1,000-pupil list, read + checked + matched + stored sealed (median of 5)', lists[2]! / 1000, 's', { atMost: 1, ...scale }),
        metric(`handover: matching ${options.bigList.toLocaleString('en')} pupils (lists of 2,000)`, perSecond, 'entries/s', { atLeast: 10_000, ...scale }),
        metric('handover: the same matching per second of the process\'s own CPU time (one core)', perCpuSecond, 'entries/cpu-s'),
      ],
      notes: {
        handover: {
          records: options.records, seedSeconds: seedSeconds && Math.round(seedSeconds), indexSeconds: indexSeconds && Math.round(indexSeconds), diskMB: Math.round(diskBytes / 1e6),
          listMs: lists.map(Math.round), outcomesOfLastList: counts,
          readModel: 'sqlite records collection written through the EncryptingReadStore (the records projection\'s documents, by its evolve): keyed hashes and sealed values, a data key per child',
        },
      },
    };
  } finally {
    await inner.close();
    pd?.release();
    if (!options.dir) rmSync(dir, { recursive: true, force: true });
  }
}

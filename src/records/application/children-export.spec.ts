import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { ALL_EVENT_DEFINITIONS } from '../../event-catalog.js';
import { CommandPath } from '../../shared/command/command-path.js';
import { SqliteEventStore } from '../../shared/event-store/sqlite.event-store.js';
import { EventRegistry, defaultSchemaDir } from '../../shared/events/event-registry.js';
import { ensureCollections } from '../../shared/projections/projection-definition.js';
import { SqliteReadStore } from '../../shared/read-store/sqlite.read-store.js';
import { recordsProjection } from '../projections/records.projection.js';
import { CHILD_EXPORT_HEADERS, ChildrenExport } from './children-export.js';
import { RECORDS } from './record-reads.js';

const dir = mkdtempSync(join(tmpdir(), 'children-export-'));
const events = new SqliteEventStore(join(dir, 'events.sqlite'));
const reads = new SqliteReadStore(join(dir, 'reads.sqlite'));
const registry = new EventRegistry([defaultSchemaDir()]);
registry.register(ALL_EVENT_DEFINITIONS);
const metadata = { eventId: 'e', actor: { accountId: 'a', role: 'business', organisationId: '1141010001' }, correlationId: 'c', causationId: null, occurredAt: '2026-11-20T02:00:00.000Z', schemaVersion: 1 };
const child = {
  name: '王小明', gender: '1', birthDate: '2022-03-15', idType: '1', idNumber: '410102202203150011', ethnicity: '01', nationality: 'CHN', hkMacaoTaiwan: null, birthplaceCode: null,
  householdCode: '410102', householdType: null, address: '郑州市中原区建设路 12 号', healthStatus: null, disabilityType: null, bloodType: null, onlyChild: '1', leftBehind: '0',
  migrantWorkerChild: null, orphan: null, guardians: [{ name: '王大明', relation: '父亲', idType: null, idNumber: null, phone: '13800000000' }],
};

afterAll(async () => {
  await events.close();
  await reads.close();
});

describe('ChildrenExport (records facade for the institution export)', () => {
  it('answers the institution\'s records from their streams: template headers, code-label cells, masked unless asked otherwise', async () => {
    const recordId = '6a1f0c1e-7b2d-4c3e-9f10-a2b3c4d5e6f7';
    await events.append(`record-${recordId}`, [{ type: 'RecordSaved', data: { recordId, institutionCode: '1141010001', divisionCode: '410102', child, overAgeConfirmed: false, importRef: null, savedAt: metadata.occurredAt }, metadata }], 'no_stream');
    await ensureCollections(reads, recordsProjection);
    await reads.applyBatch('records@v1', [{ collection: RECORDS, id: recordId, doc: { id: recordId, institutionCode: '1141010001', divisionCode: '410102', status: 'saved' }, position: 1 }], 1);
    const exports = new ChildrenExport(new CommandPath(events, registry), reads);
    expect(await exports.count('1141010001')).toBe(1);
    expect(await exports.count('1141010002')).toBe(0);
    const at = (name: string) => CHILD_EXPORT_HEADERS.indexOf(name);
    const subjects: unknown[] = [];
    const [full] = await collect(exports.rows('1141010001', false, (s) => subjects.push(s)));
    // each row's record, for the read audit of the unmasked file's downloads
    expect(subjects).toEqual([{ recordId, institutionCode: '1141010001', divisionCode: '410102' }]);
    expect(full![at('姓名')]).toBe('王小明');
    expect(full![at('性别')]).toBe('1-男');
    expect(full![at('民族')]).toBe('01-汉族');
    expect(full![at('是否独生子女')]).toBe('1-是');
    expect(full![at('学籍状态')]).toBe('已保存');
    expect(full![at('身份证件号码')]).toBe('410102202203150011');
    expect(full![at('监护人1联系电话')]).toBe('13800000000');
    const [masked] = await collect(exports.rows('1141010001', true));
    expect(masked![at('身份证件号码')]).not.toContain('202203150011');
    expect(masked![at('监护人1联系电话')]).toMatch(/\*/);
    expect(masked![at('现住址')]).not.toContain('建设路 12 号');
  });
});

async function collect<T>(rows: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const row of rows) out.push(row);
  return out;
}

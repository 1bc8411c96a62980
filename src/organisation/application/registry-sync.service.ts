import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InstitutionAccounts, type Principal } from '../../accounts/contracts/index.js';
import type { AppConfig } from '../../config/app-config.js';
import { divisionPrefix } from '../../shared/access/jurisdiction.js';
import { type CommandContext, CommandPath } from '../../shared/command/command-path.js';
import { type FieldError, forbidden, refused, unavailable } from '../../shared/domain/domain-error.js';
import { APP_CONFIG, EVENT_STORE, READ_STORE } from '../../shared/infrastructure/tokens.js';
import type { EventStore } from '../../shared/event-store/event-store.port.js';
import { ProjectionManager } from '../../shared/projections/projection-manager.js';
import { physicalCollection } from '../../shared/projections/projection-definition.js';
import { type ReadStore, findAll } from '../../shared/read-store/read-store.port.js';
import type { DivisionTree } from '../domain/divisions.js';
import { DivisionService } from './division.service.js';
import { type RegistryEntry, institutionDecider, institutionStream } from '../domain/institution.decider.js';
import { type RegistryColumn, cleanCell, mapHeader, parseRegistryRow } from '../domain/registry-row.js';
import { institutionsProjection } from '../projections/institutions.projection.js';
import { registryRows } from './registry-file.js';

export interface SyncChange {
  code: string;
  change: 'registered' | 'renamed' | 'details-changed' | 'revoked' | 'reinstated';
  name: string;
  from?: string;
}

export interface SyncResult {
  batchId: string;
  summary: { rows: number; valid: number; invalid: number; registered: number; renamed: number; detailsChanged: number; revoked: number; reinstated: number; unchanged: number };
  changes: SyncChange[];
  errors: FieldError[];
  /** initial passwords of the accounts created for new institutions: shown once, hand them over securely */
  accounts: Array<{ institutionCode: string; username: string; role: string; initialPassword: string }>;
}

const institutions = physicalCollection(institutionsProjection, 'institutions');

/**
 * The quarterly institution-code registry sync. The uploaded file is the province's complete
 * registry: new codes are registered with their three accounts, changed names are renamed,
 * active institutions missing from the file are revoked (their accounts disabled). Bad rows are
 * reported with row and column and change nothing; a code on a bad row is never revoked.
 */
@Injectable()
export class RegistrySyncService {
  constructor(
    private readonly commands: CommandPath,
    private readonly accounts: InstitutionAccounts,
    private readonly projections: ProjectionManager,
    private readonly divisions: DivisionService,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_STORE) private readonly reads: ReadStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async sync(principal: Principal, file: Buffer, context: CommandContext): Promise<SyncResult> {
    if (principal.role !== 'admin' || (principal.level !== 'province' && principal.level !== 'ministry')) {
      throw forbidden('admin-only', '只有省级（或教育部）系统管理员可以同步机构代码库');
    }
    const tree = await this.divisions.tree();
    // a province's file speaks for that province only: never revoke another province's institutions
    const provincePrefix = principal.level === 'province'
      ? divisionPrefix(principal.divisionCode)
      : this.config.deploymentLevel === 'province' ? divisionPrefix(this.config.deploymentDivision) : null;
    const errors: FieldError[] = [];
    const entries = new Map<string, { entry: RegistryEntry; row: number }>();
    const badCodes = new Set<string>();
    const duplicates = new Set<string>();
    let columns: Map<number, RegistryColumn> | undefined;
    let rows = 0;
    // streamed: the whole file is read (and refused, if it must be) before any command runs
    for await (const { row, cells: values } of registryRows(file)) {
      if (!columns) {
        columns = headerColumns(row === 1 ? values : []); // row 1 is the header, even when left blank
        if (row === 1) continue;
      }
      const cells: Partial<Record<RegistryColumn, unknown>> = {};
      for (const [index, column] of columns) cells[column] = values[index];
      if (Object.values(cells).every((v) => cleanCell(v) === '')) continue; // blank line
      rows++;
      const parsed = parseRegistryRow(row, cells, { provincePrefix, isCounty: (code) => isCountyLevel(tree, code) });
      if ('errors' in parsed) {
        errors.push(...parsed.errors);
        badCodes.add(cleanCell(cells.code));
        continue;
      }
      const seen = entries.get(parsed.entry.code);
      if (seen || duplicates.has(parsed.entry.code)) {
        // the same code twice: neither row can be trusted
        errors.push({ field: `第 ${row} 行，机构标识码`, code: 'duplicate-code', message: `机构标识码 ${parsed.entry.code} 在文件中重复出现${seen ? `（另见第 ${seen.row} 行）` : ''}`, value: parsed.entry.code });
        if (seen) errors.push({ field: `第 ${seen.row} 行，机构标识码`, code: 'duplicate-code', message: `机构标识码 ${parsed.entry.code} 在文件中重复出现（另见第 ${row} 行）`, value: parsed.entry.code });
        entries.delete(parsed.entry.code);
        duplicates.add(parsed.entry.code);
        badCodes.add(parsed.entry.code);
        continue;
      }
      entries.set(parsed.entry.code, { entry: parsed.entry, row });
    }
    if (!columns) headerColumns([]); // no row at all: refused as a missing header
    if (rows === 0) throw refused('validation', 'registry-file-empty', '文件中没有数据行，未导入任何数据');

    const batchId = randomUUID();
    const result: SyncResult = {
      batchId,
      summary: { rows, valid: entries.size, invalid: rows - entries.size, registered: 0, renamed: 0, detailsChanged: 0, revoked: 0, reinstated: 0, unchanged: 0 },
      changes: [],
      errors: errors.sort((a, b) => rowOf(a) - rowOf(b)),
      accounts: [],
    };
    for (const { entry } of entries.values()) {
      const outcome = await this.commands.run({ streamId: institutionStream(entry.code), decider: institutionDecider, command: { type: 'ApplyRegistryEntry', entry, batchId }, context });
      if (outcome.events.length === 0) result.summary.unchanged++;
      for (const event of outcome.events) {
        if (event.type === 'InstitutionRegistered') {
          result.summary.registered++;
          result.changes.push({ code: entry.code, change: 'registered', name: entry.name });
          for (const { username, role } of this.accounts.usernames(entry.code, entry.type)) {
            const created = await this.accounts.create(entry, { username, role, realName: `${entry.name}${ROLE_LABELS[role]}` }, context);
            result.accounts.push({ institutionCode: entry.code, username, role, initialPassword: created.initialPassword });
          }
        } else if (event.type === 'InstitutionRenamed') {
          result.summary.renamed++;
          result.changes.push({ code: entry.code, change: 'renamed', name: entry.name, from: String(event.data['from']) });
        } else if (event.type === 'InstitutionRegistryDetailsChanged') {
          result.summary.detailsChanged++;
          result.changes.push({ code: entry.code, change: 'details-changed', name: entry.name });
        } else if (event.type === 'InstitutionReinstated') {
          result.summary.reinstated++;
          result.changes.push({ code: entry.code, change: 'reinstated', name: entry.name });
          await this.accounts.setEnabled(entry.code, true, '机构重新出现在机构代码系统中', context);
        }
      }
    }
    // which active institutions the file no longer lists: read the projection once it has seen everything so far
    if (!(await this.projections.waitFor(await this.events.headPosition(), this.config.consistencyWaitMaxMs, ['institutions']))) {
      throw unavailable('projection-lagging', '机构列表正在更新，已导入新增和变更的机构，撤销未执行；请稍后重新同步同一文件', { batchId });
    }
    for (const doc of await this.activeInstitutions(provincePrefix)) {
      const code = String(doc['code']);
      if (entries.has(code) || badCodes.has(code)) continue;
      const outcome = await this.commands.run({ streamId: institutionStream(code), decider: institutionDecider, command: { type: 'RevokeInstitution', code, batchId }, context });
      if (outcome.events.length > 0) {
        result.summary.revoked++;
        result.changes.push({ code, change: 'revoked', name: String(doc['name']) });
        await this.accounts.setEnabled(code, false, `机构已在机构代码系统中撤销（同步批次 ${batchId}）`, context);
      }
    }
    return result;
  }

  private activeInstitutions(provincePrefix: string | null) {
    return findAll(this.reads, institutions, { status: 'active', ...(provincePrefix ? { provinceCode: `${provincePrefix}0000` } : {}) });
  }
}

/** An institution sits in a county (custom ones included), or in a prefecture-level city without counties (e.g. 441900 东莞市). */
function isCountyLevel(tree: DivisionTree, code: string): boolean {
  const division = tree.get(code);
  return division !== undefined && division.level !== 'province' && tree.children(code).length === 0;
}

/** How the sync names the accounts it creates for a new institution (after the institution's name). */
export const ROLE_LABELS: Record<string, string> = { business: '业务账号', review: '审核账号', admin: '系统管理员', 'school-registrar': '学籍管理员' };

const rowOf = (e: FieldError): number => Number(/第 (\d+) 行/.exec(e.field)?.[1] ?? 0);

/** The columns of the header row; a header that misses or misnames a column refuses the whole file. */
function headerColumns(cells: unknown[]): Map<number, RegistryColumn> {
  const { columns, errors } = mapHeader(cells);
  if (errors.some((e) => e.code === 'missing-column' || e.code === 'unknown-column')) {
    throw refused('validation', 'registry-file-layout', '文件的表头与机构代码库格式不符，未导入任何数据。请检查第 1 行的列名', errors);
  }
  return columns;
}

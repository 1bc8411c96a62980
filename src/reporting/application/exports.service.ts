import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import ExcelJS from 'exceljs';
import type { Principal } from '../../accounts/contracts/index.js';
import type { AppConfig } from '../../config/app-config.js';
import { CHILD_EXPORT_HEADERS, ChildrenExport, maySeeIdNumbers } from '../../records/contracts/index.js';
import { jurisdictionFilter } from '../../shared/access/jurisdiction.js';
import { type CommandContext, CommandPath } from '../../shared/command/command-path.js';
import { forbidden, notFound } from '../../shared/domain/domain-error.js';
import { FILE_STORE, type FileStore } from '../../shared/files/file-store.port.js';
import { APP_CONFIG, LOGGER } from '../../shared/infrastructure/tokens.js';
import type { Logger } from '../../shared/logging/json-logger.js';
import { type ReadSubject, personalDataShown } from '../../shared/personal-data/read-audit.js';
import { physicalCollection } from '../../shared/projections/projection-definition.js';
import { ProjectionManager } from '../../shared/projections/projection-manager.js';
import { READ_STORE, type ReadStore, findAll } from '../../shared/read-store/read-store.port.js';
import { CLOCK, type Clock } from '../../shared/time/clock.js';
import { EVENT_STORE, type EventStore } from '../../shared/event-store/event-store.port.js';
import { type ExportKind, exportDecider, exportStream } from '../domain/export.decider.js';
import { reportingProjection } from '../projections/reporting.projection.js';
import { ownUnit } from './report-access.js';
import { ReportsService } from './reports.service.js';
import { SUMMARY_COLUMNS } from './summary-columns.js';

const EXPORTS = physicalCollection(reportingProjection, 'exports');
const SYSTEM = { accountId: 'system', role: 'system', organisationId: 'reporting-exports' };
export const RESTART_REASON = '服务重启时导出尚未完成，请重新导出';

export interface ExportRequest {
  kind: ExportKind;
  unit?: string;
  month?: string;
}

/**
 * Exports (数据导出, issue 17 item 5) as jobs: the request is recorded and answered at once; the
 * workbook is written row by row with exceljs's streaming writer into the data folder, then kept
 * in the file store by its sha256; progress (rows done / total) is held in memory while it runs.
 * Every export is an event stream (requested, completed or failed), so the register of exports
 * is the log's; a job a restart interrupted is failed at the next start, never left running.
 */
@Injectable()
export class ExportsService {
  private readonly progress = new Map<string, { done: number; total: number }>();
  private readonly jobs = new Set<Promise<void>>();
  /** the log position of each running job's request: its rows include everything written before it */
  private readonly requestedAt = new Map<string, number>();
  /** settles once the exports a restart interrupted are failed (started at bootstrap, in the background) */
  recovered: Promise<number> = Promise.resolve(0);

  constructor(
    private readonly commands: CommandPath,
    private readonly reports: ReportsService,
    private readonly children: ChildrenExport,
    private readonly projections: ProjectionManager,
    @Inject(READ_STORE) private readonly reads: ReadStore,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(FILE_STORE) private readonly files: FileStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async request(principal: Principal, request: ExportRequest, context: CommandContext) {
    const own = principal.level === 'institution';
    if (request.kind === 'institution-children' && !own) throw forbidden('institution-export-only', '幼儿明细只能由本园账号导出；各级教育部门请导出汇总数据');
    if (request.kind === 'office-summary' && own) throw forbidden('office-export-only', '汇总数据由各级教育部门导出；机构请导出本园幼儿明细');
    const unit = request.kind === 'institution-children' ? ownUnit(principal) : (request.unit || ownUnit(principal));
    const month = request.kind === 'office-summary' ? (request.month ?? null) : null;
    // refuses a unit outside the caller's reach, and a month not kept, before anything is recorded
    if (request.kind === 'office-summary') await this.reports.unitsWithin(principal, unit, month);
    const masked = request.kind === 'institution-children' ? !maySeeIdNumbers(principal) : true;
    const exportId = randomUUID();
    const outcome = await this.commands.run({
      streamId: exportStream(exportId), decider: exportDecider,
      command: { type: 'RequestExport', exportId, kind: request.kind, unit, divisionCode: principal.divisionCode, month, masked, at: this.clock.now().toISOString() },
      context,
    });
    this.progress.set(exportId, { done: 0, total: 0 });
    this.requestedAt.set(exportId, outcome.position);
    const job = this.run(principal, exportId, request.kind, unit, month, masked).finally(() => this.jobs.delete(job));
    this.jobs.add(job);
    return { exportId, status: 'running', position: outcome.position };
  }

  /** The job's state from its own stream (current), with its progress while it runs. Only the requester reads it. */
  async status(principal: Principal, exportId: string) {
    const { events } = await this.commands.loadWithHistory(exportStream(exportId), exportDecider);
    const requested = events.find((e) => e.type === 'ExportRequested');
    if (!requested || requested.metadata.actor.accountId !== principal.accountId) throw notFound('export-not-found', '导出任务不存在，或不是本账号发起的');
    const end = events.find((e) => e.type === 'ExportCompleted' || e.type === 'ExportFailed');
    const data = requested.data as Record<string, unknown>;
    const progress = this.progress.get(exportId) ?? { done: 0, total: 0 };
    const completed = end?.type === 'ExportCompleted' ? (end.data as { rows: number; bytes: number; fileId: string; subjectsFileId?: string }) : null;
    return {
      exportId, kind: data['kind'], unit: data['unit'], month: data['month'], masked: data['masked'], requestedAt: data['requestedAt'],
      status: end ? (completed ? 'completed' : 'failed') : 'running',
      rowsDone: completed ? completed.rows : progress.done, rowsTotal: completed ? completed.rows : progress.total,
      bytes: completed?.bytes ?? null, reason: end?.type === 'ExportFailed' ? String(end.data['reason']) : null,
      fileId: completed?.fileId ?? null, subjectsFileId: completed?.subjectsFileId ?? null,
    };
  }

  async file(principal: Principal, exportId: string): Promise<{ bytes: Buffer; name: string }> {
    const status = await this.status(principal, exportId);
    if (status.status !== 'completed' || !status.fileId) throw notFound('export-not-ready', status.status === 'failed' ? `导出失败：${status.reason}` : '导出尚未完成，请稍后再下载');
    const bytes = await this.files.read(status.fileId);
    if (!bytes) throw notFound('export-file-missing', '导出文件已不存在，请重新导出');
    // an unmasked file is read at each download (ADR 22): the records it shows, kept beside it
    if (status.subjectsFileId) {
      const subjects = await this.files.read(status.subjectsFileId);
      if (!subjects) throw notFound('export-file-missing', '导出文件已不存在，请重新导出');
      personalDataShown(JSON.parse(subjects.toString('utf8')) as ReadSubject[]);
    }
    const kind = status.kind === 'institution-children' ? '幼儿名单' : '汇总数据';
    return { bytes, name: `${kind}-${String(status.unit).slice(2)}-${status.month ?? String(status.requestedAt).slice(0, 10)}.xlsx` };
  }

  /** The register of exports an administrator reads: its own organisation's and those below it. */
  async list(principal: Principal, page: { cursor?: string; limit: number }) {
    if (principal.role !== 'admin') throw forbidden('admin-only', '只有系统管理员可以查看导出记录');
    const filter = jurisdictionFilter(principal, 'institutionCode');
    const found = await this.reads.find(EXPORTS, filter, { sort: [['requestedAt', 'desc']], limit: page.limit, ...(page.cursor ? { cursor: page.cursor } : {}) });
    return { items: found.items.map(({ _pos, fileId, ...doc }) => doc), nextCursor: found.nextCursor };
  }

  /** At start-up: every export still running belongs to a process that is gone. It is failed, with the reason. */
  async failInterrupted(): Promise<number> {
    // the export register must have read the whole log first (it runs in the projection worker)
    await this.projections.waitFor(await this.events.headPosition(), 120_000, ['reporting']);
    let failed = 0;
    for (const doc of await findAll(this.reads, EXPORTS, { status: 'running' })) {
      const id = String(doc['exportId']);
      if (this.progress.has(id)) continue;
      const outcome = await this.commands.run({ streamId: exportStream(id), decider: exportDecider, command: { type: 'FailExport', reason: RESTART_REASON, at: this.clock.now().toISOString() }, context: { actor: SYSTEM, correlationId: `export-${id}`, causationId: null } });
      failed += outcome.events.length;
    }
    return failed;
  }

  /** Waits for the jobs in flight (shutdown, tests). */
  async drain(): Promise<void> {
    await Promise.all([...this.jobs]);
  }

  private async run(principal: Principal, exportId: string, kind: ExportKind, unit: string, month: string | null, masked: boolean): Promise<void> {
    const context = { actor: SYSTEM, correlationId: `export-${exportId}`, causationId: null };
    const dir = join(this.config.dataDir, 'exports');
    const path = join(dir, `${exportId}.xlsx`);
    try {
      await mkdir(dir, { recursive: true });
      const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useStyles: true, useSharedStrings: false });
      const progress = this.progress.get(exportId)!;
      let rows = 0;
      const subjects: ReadSubject[] = [];
      if (kind === 'institution-children') {
        // the records list must include what was written before the request (an import just done)
        if (!(await this.projections.waitFor(this.requestedAt.get(exportId) ?? 0, 60_000, ['records']))) throw new Error('records projection lagging');
        const sheet = workbook.addWorksheet('幼儿名单');
        sheet.columns = CHILD_EXPORT_HEADERS.map((header) => ({ header, width: Math.max(10, header.length * 2 + 2), style: { numFmt: '@' } }));
        progress.total = await this.children.count(unit.slice(2));
        for await (const row of this.children.rows(unit.slice(2), masked, masked ? undefined : (s) => subjects.push(s))) {
          sheet.addRow(row).commit();
          progress.done = ++rows;
        }
        progress.total = rows;
        sheet.commit();
      } else {
        const units = await this.reports.unitsWithin(principal, unit, month);
        progress.total = units.length;
        const sheet = workbook.addWorksheet(month ? `${month} 月度快照` : '实时汇总');
        sheet.columns = SUMMARY_COLUMNS.map((c) => ({ header: c.header, width: Math.max(10, c.header.length * 2 + 2) }));
        for (const u of units) {
          sheet.addRow(SUMMARY_COLUMNS.map((c) => c.value(u))).commit();
          progress.done = ++rows;
        }
        sheet.commit();
      }
      await workbook.commit();
      const bytes = await readFile(path);
      const stored = await this.files.put(bytes);
      // record ids and where they live, no personal data: what a download of an unmasked file shows
      const subjectsFileId = masked ? undefined : (await this.files.put(Buffer.from(JSON.stringify(subjects)))).sha256;
      await this.commands.run({ streamId: exportStream(exportId), decider: exportDecider, command: { type: 'CompleteExport', rows, fileId: stored.sha256, bytes: stored.size, ...(subjectsFileId ? { subjectsFileId } : {}), at: this.clock.now().toISOString() }, context });
    } catch (error) {
      this.logger.error('export failed', { exportId, error });
      await this.commands.run({ streamId: exportStream(exportId), decider: exportDecider, command: { type: 'FailExport', reason: '导出时发生错误，请重新导出；如仍失败请联系系统管理员', at: this.clock.now().toISOString() }, context }).catch(() => undefined);
    } finally {
      this.requestedAt.delete(exportId);
      await rm(path, { force: true });
    }
  }
}

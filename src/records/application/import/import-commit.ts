import { Inject, Injectable } from '@nestjs/common';
import { type CommandContext, CommandPath, type PreparedStart } from '../../../shared/command/command-path.js';
import { EVENT_STORE, type EventStore, type RecordedEvent } from '../../../shared/event-store/event-store.port.js';
import { LOGGER } from '../../../shared/infrastructure/tokens.js';
import type { Logger } from '../../../shared/logging/json-logger.js';
import { CLOCK, type Clock, isoNow } from '../../../shared/time/clock.js';
import { type ImportSummaryData, importDecider, importStream } from '../../domain/record-import.decider.js';
import { recordDecider } from '../../domain/record.decider.js';

const RECOVERY = { accountId: 'system', role: 'system', organisationId: 'record-import-recovery' };
const WITHDRAW_REASON = '模板导入未能完成（服务中断或存储故障），本批次已整体撤销：请重新导入该文件';
/** withdrawals in flight (a rare repair: bounded, not fast) */
const WITHDRAW_CONCURRENCY = 32;
const SCAN_PAGE = 2000;

/**
 * Stores an import batch (its records, its summary and validation log) so that after a crash
 * either all of it is stored or none (ADR 0011). On a store with multi-stream transactions
 * (the embedded SQLite) that is one appendMany. Without (EventStoreDB): the batch is started
 * first (RecordImportStarted), the records appended, then the batch completed
 * (RecordsImported); a batch that does not complete is withdrawn, by this request when it fails
 * and otherwise by the recovery reactor after a restart: each of its records deleted, then the
 * batch marked withdrawn. Stored events are never rewritten.
 */
@Injectable()
export class ImportCommit {
  /** batches this process is storing: the recovery reactor waits for them instead of withdrawing them */
  private readonly running = new Map<string, Promise<unknown>>();

  constructor(
    private readonly commands: CommandPath,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Stores the batch's records and summary as one unit; resolves the position a reader can wait for. */
  commit(summary: ImportSummaryData, records: ReadonlyArray<PreparedStart<unknown>>, context: CommandContext): Promise<number> {
    const batch = this.commands.prepareStart({ streamId: importStream(summary.batchId), decider: importDecider, command: { type: 'RecordImport', summary }, context });
    const creates = records.map((r) => ({ ...r, expectedRevision: -1 }));
    if (this.commands.atomicMultiStream) {
      // the batch last: its position is the highest, so a reader waiting for it sees every record
      return this.commands.commitAll([...creates, { ...batch, expectedRevision: -1 }]).then((outcomes) => outcomes[outcomes.length - 1]!.position);
    }
    // registered before the first append, so the reactor never sees the start without knowing it runs here
    const work = this.startedThenCompleted(summary, creates, context);
    this.running.set(summary.batchId, work);
    return work.finally(() => this.running.delete(summary.batchId));
  }

  private async startedThenCompleted(summary: ImportSummaryData, creates: Parameters<CommandPath['commitAll']>[0], context: CommandContext): Promise<number> {
    const { batchId, institutionCode, fileName, fileSha256, rows, importedAt } = summary;
    const started = await this.commands.start({
      streamId: importStream(batchId), decider: importDecider, context,
      command: { type: 'StartImport', start: { batchId, institutionCode, fileName, fileSha256, rows, toSave: creates.length, startedAt: importedAt } },
    });
    try {
      await this.commands.commitAll(creates);
      const done = this.commands.prepareOn({ streamId: importStream(batchId), decider: importDecider, command: { type: 'RecordImport', summary }, context }, started);
      return (await this.commands.commit(done)).position;
    } catch (error) {
      // every append has settled (commitAll waits for those in flight): give the batch up now, so
      // the registrar can import the file again at once; if this fails too, the reactor does it
      await this.withdraw(batchId, creates.map((c) => c.streamId), recoveryContext(context.correlationId, null)).catch((e: unknown) =>
        this.logger.error('import withdrawal failed; the recovery reactor retries it', { batchId, error: e instanceof Error ? e : String(e) }),
      );
      throw error;
    }
  }

  /**
   * The recovery reactor's reaction to a started batch: once this process is not storing it (any
   * more), a batch still only started is withdrawn. Its records are found in the log after the start.
   */
  async settle(started: RecordedEvent): Promise<void> {
    const batchId = String(started.data['batchId']);
    await this.running.get(batchId)?.catch(() => undefined);
    const { state } = await this.commands.load(importStream(batchId), importDecider);
    if (state.status !== 'started') return;
    this.logger.warn('withdrawing an unfinished import', { batchId });
    await this.withdraw(batchId, await this.savedAfter(batchId, started.position), recoveryContext(started.metadata.correlationId, started.metadata.eventId));
  }

  /** Deletes each record of the batch (idempotent), then marks the batch withdrawn. */
  private async withdraw(batchId: string, recordStreams: readonly string[], context: CommandContext): Promise<void> {
    const { state } = await this.commands.load(importStream(batchId), importDecider);
    if (state.status !== 'started') return;
    const at = isoNow(this.clock);
    let withdrawn = 0;
    let kept = 0;
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < recordStreams.length) {
        const streamId = recordStreams[next++]!;
        const outcome = await this.commands.run({ streamId, decider: recordDecider, command: { type: 'WithdrawImportedRecord', batchId, reason: WITHDRAW_REASON, at }, context });
        if (outcome.state.status === 'deleted') withdrawn++;
        else if (outcome.state.status !== 'none') kept++;
      }
    };
    await Promise.all(Array.from({ length: WITHDRAW_CONCURRENCY }, worker));
    await this.commands.run({ streamId: importStream(batchId), decider: importDecider, command: { type: 'WithdrawImport', withdrawn, kept, reason: WITHDRAW_REASON, at }, context });
  }

  /** The record streams the batch saved: all of them follow its start in the log. */
  private async savedAfter(batchId: string, after: number): Promise<string[]> {
    const head = await this.events.headPosition();
    const streams: string[] = [];
    for (let from = after; from < head; ) {
      const page = await this.events.readAll({ after: from, maxCount: SCAN_PAGE, types: ['RecordSaved'] });
      if (page.length === 0) break;
      for (const e of page) {
        if (e.type === 'RecordSaved' && (e.data['importRef'] as { batchId?: string } | null)?.batchId === batchId) streams.push(e.streamId);
      }
      from = page[page.length - 1]!.position;
    }
    return streams;
  }
}

function recoveryContext(correlationId: string, causationId: string | null): CommandContext {
  return { actor: RECOVERY, correlationId, causationId };
}

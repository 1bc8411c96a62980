import type { RecordedEvent, TypedRecordedEvent } from '../../../shared/event-store/event-store.port.js';
import { DomainError } from '../../../shared/domain/domain-error.js';
import type { Logger } from '../../../shared/logging/json-logger.js';
import type { ReactorDefinition } from '../../../shared/projections/reactor.js';
import type { CommandPath } from '../../../shared/command/command-path.js';
import type { DedupeKeyEvent } from '../../domain/dedupe-key.decider.js';
import { type RecordEvent, recordDecider, recordStream } from '../../domain/record.decider.js';
import { Deduplication } from './deduplication.js';
import { type DuplicateCases, leftData } from '../cases/duplicate-cases.js';

/**
 * The safety net of province de-duplication: every submission, key change, rejection and
 * deletion in the durable log is (re)applied to the key streams; every duplicate found on a key
 * is (re)gathered into its case; every problem record that left its case leaves it on the key
 * and in the case. The request already did the same; after a crash in between, this completes it.
 */
type Handled = Extract<RecordEvent | DedupeKeyEvent, { type: 'RecordSubmitted' | 'KeyInformationChanged' | 'RecordRejected' | 'RecordDeleted' | 'DuplicateDetected' | 'RecordLeftDuplicateCase' | 'RecordTransferred' }>;

export function deduplicationReactor(dedupe: Deduplication, cases: DuplicateCases, commands: CommandPath, logger: Logger): ReactorDefinition<Handled> {
  return {
    name: 'province-deduplication',
    handles: ['RecordSubmitted', 'KeyInformationChanged', 'RecordRejected', 'RecordDeleted', 'DuplicateDetected', 'RecordLeftDuplicateCase', 'RecordTransferred'],
    react: refusalsLogged(logger, async (event: TypedRecordedEvent<Handled>) => {
      const context = Deduplication.contextFor(event);
      switch (event.type) {
        case 'RecordSubmitted': {
          const { recordId } = event.data;
          // an outcome on the record means the request claimed the key and decided: nothing is missing
          // (a problem record still gets its case checked: the request may have stopped before joining it)
          const { state } = await commands.load(recordStream(recordId), recordDecider);
          if (state.status === 'submitted' || state.status === 'problem') await dedupe.check(recordId, context, null, state);
          return;
        }
        case 'KeyInformationChanged':
          return void (await dedupe.check(event.data.recordId, context, event.data.before));
        case 'DuplicateDetected':
          return void (await cases.gather(event.data.keyHash, event.data.caseId, context));
        case 'RecordLeftDuplicateCase':
          return cases.leave(leftData(event), event.revision, context);
        case 'RecordTransferred':
          return dedupe.afterMove(event.data.recordId, event.data.fromInstitutionCode, context);
        default: {
          const { recordId } = event.data;
          const { state } = await commands.load(recordStream(recordId), recordDecider);
          if (state.dedupeKey && (state.status === 'rejected' || state.status === 'deleted')) await dedupe.release(recordId, state.dedupeKey, context);
        }
      }
    }),
  };
}

/** A business refusal will not change on retry: log it and go on; anything else (and conflicts) is retried. */
export function refusalsLogged<Ev extends Pick<RecordedEvent, 'type' | 'metadata'>>(logger: Logger, react: (event: Ev) => Promise<void>): (event: Ev) => Promise<void> {
  return async (event) => {
    try {
      await react(event);
    } catch (error) {
      if (!(error instanceof DomainError) || error.kind === 'conflict') throw error;
      logger.warn('reaction refused', { event: event.type, eventId: event.metadata.eventId, code: error.code });
    }
  };
}

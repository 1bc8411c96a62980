import type { RecordedEvent } from '../../shared/event-store/event-store.port.js';
import { DomainError } from '../../shared/domain/domain-error.js';
import type { Logger } from '../../shared/logging/json-logger.js';
import type { ReactorDefinition } from '../../shared/projections/reactor.js';
import type { CommandPath } from '../../shared/command/command-path.js';
import type { KeyInformation } from '../domain/child.js';
import { recordDecider, recordStream } from '../domain/record.decider.js';
import { Deduplication } from './deduplication.js';

/**
 * The safety net of province de-duplication: every submission, key change, rejection and
 * deletion in the durable log is (re)applied to the key streams. The request already did the
 * same; after a crash between the record's event and the key's, this completes it.
 */
export function deduplicationReactor(dedupe: Deduplication, commands: CommandPath, logger: Logger): ReactorDefinition {
  return {
    name: 'province-deduplication',
    handles: ['RecordSubmitted', 'KeyInformationChanged', 'RecordRejected', 'RecordDeleted'],
    async react(event: RecordedEvent) {
      const recordId = String(event.data['recordId']);
      const context = Deduplication.contextFor(event);
      try {
        if (event.type === 'RecordSubmitted') await dedupe.check(recordId, context);
        else if (event.type === 'KeyInformationChanged') await dedupe.check(recordId, context, event.data['before'] as KeyInformation);
        else {
          const { state } = await commands.load(recordStream(recordId), recordDecider);
          if (state.dedupeKey && (state.status === 'rejected' || state.status === 'deleted')) await dedupe.release(recordId, state.dedupeKey, context);
        }
      } catch (error) {
        // a business refusal will not change on retry: log it and go on; anything else is retried
        if (!(error instanceof DomainError) || error.kind === 'conflict') throw error;
        logger.warn('de-duplication step refused', { recordId, event: event.type, code: error.code });
      }
    },
  };
}

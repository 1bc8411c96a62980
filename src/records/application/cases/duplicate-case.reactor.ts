import type { TypedRecordedEvent } from '../../../shared/event-store/event-store.port.js';
import type { Logger } from '../../../shared/logging/json-logger.js';
import type { ReactorDefinition } from '../../../shared/projections/reactor.js';
import type { DuplicateCaseEvent } from '../../domain/duplicate-case.decider.js';
import { refusalsLogged } from '../deduplication/deduplication.reactor.js';
import type { DuplicateCases } from './duplicate-cases.js';

/**
 * The process manager of duplicate cases (architecture rule 3): driven by the durable log from
 * its own checkpoint, it carries each case's decisions to the records and the key. A forced
 * deletion deletes the record; a resolution voids the losers and returns the winner to where it
 * was. Every command is idempotent (a void record is not voided again, a kept one not kept
 * again), so a replay or a rebuild changes nothing. The records' events carry the actor of the
 * case event that decided them (the county reviewer, the arbitrator): who did what stays
 * readable in each record's own history, whichever of the request and this runs first.
 */
type Handled = Extract<DuplicateCaseEvent, { type: 'DuplicateEntryForceDeleted' | 'DuplicateCaseResolved' }>;

export function duplicateCaseReactor(cases: DuplicateCases, logger: Logger): ReactorDefinition<Handled> {
  return {
    name: 'duplicate-case-resolution',
    handles: ['DuplicateEntryForceDeleted', 'DuplicateCaseResolved'],
    react: refusalsLogged(logger, async (event: TypedRecordedEvent<Handled>) => {
      const context = { actor: event.metadata.actor, correlationId: event.metadata.correlationId, causationId: event.metadata.eventId };
      if (event.type === 'DuplicateEntryForceDeleted') {
        await cases.forceDeleted({ caseId: event.data.caseId, recordId: event.data.recordId }, event.metadata.reason ?? '', context);
        return;
      }
      const { caseId, keyHash, validRecordId, voidRecordIds, how } = event.data;
      await cases.resolved({ caseId, keyHash, validRecordId, voidRecordIds, how }, context);
    }),
  };
}

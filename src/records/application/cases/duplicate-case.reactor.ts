import type { RecordedEvent } from '../../../shared/event-store/event-store.port.js';
import type { Logger } from '../../../shared/logging/json-logger.js';
import type { ReactorDefinition } from '../../../shared/projections/reactor.js';
import type { ResolvedHow } from '../../domain/duplicate-case.decider.js';
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
export function duplicateCaseReactor(cases: DuplicateCases, logger: Logger): ReactorDefinition {
  return {
    name: 'duplicate-case-resolution',
    handles: ['DuplicateEntryForceDeleted', 'DuplicateCaseResolved'],
    react: refusalsLogged(logger, async (event: RecordedEvent) => {
      const context = { actor: event.metadata.actor, correlationId: event.metadata.correlationId, causationId: event.metadata.eventId };
      const d = event.data;
      if (event.type === 'DuplicateEntryForceDeleted') {
        await cases.forceDeleted({ caseId: String(d['caseId']), recordId: String(d['recordId']) }, event.metadata.reason ?? '', context);
        return;
      }
      await cases.resolved(
        { caseId: String(d['caseId']), keyHash: String(d['keyHash']), validRecordId: (d['validRecordId'] as string | null) ?? null, voidRecordIds: d['voidRecordIds'] as string[], how: d['how'] as ResolvedHow },
        context,
      );
    }),
  };
}

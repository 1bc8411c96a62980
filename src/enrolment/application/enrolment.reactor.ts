import type { RecordEvent } from '../../records/contracts/index.js';
import { DomainError } from '../../shared/domain/domain-error.js';
import type { TypedRecordedEvent } from '../../shared/event-store/event-store.port.js';
import type { Logger } from '../../shared/logging/json-logger.js';
import type { ReactorDefinition } from '../../shared/projections/reactor.js';
import type { AssignmentImportEvent } from '../domain/assignment-import.decider.js';
import type { ClassEvent } from '../domain/class.decider.js';
import type { PlacementEvent } from '../domain/placement.decider.js';
import type { RestorationEvent } from '../domain/restoration.decider.js';
import type { Lifecycle } from './lifecycle.js';
import type { Reconciliation } from './reconciliation.js';

type Handled =
  | Extract<RecordEvent, { type: 'RecordLeft' | 'RecordCancelled' | 'RecordTransferred' }>
  | Extract<ClassEvent, { type: 'ClassGraduationDecided' | 'ClassPromoted' }>
  | Extract<PlacementEvent, { type: 'ChildPlaced' }>
  | AssignmentImportEvent
  | Extract<RestorationEvent, { type: 'RestorationApproved' }>;

/**
 * The process manager of enrolment (architecture rule 3), from the durable log: a child that
 * left (by any context) or moved to another kindergarten leaves its class; a decided whole-class
 * graduation is carried out to the last child; an approved restoration brings each child back. It
 * also completes every multi-stream write from its intent (a placement, a promotion, an import
 * batch), which a crash can cut short on a store that writes stream by stream (reconciliation.ts).
 * The requests do the same at once; this completes what a crash interrupted. Every step is
 * idempotent (ADR 0018).
 */
export function enrolmentReactor(lifecycle: Lifecycle, reconciliation: Reconciliation, logger: Logger): ReactorDefinition<Handled> {
  return {
    name: 'enrolment-lifecycle',
    handles: ['RecordLeft', 'RecordCancelled', 'RecordTransferred', 'ClassGraduationDecided', 'ClassPromoted', 'ChildPlaced', 'ClassAssignmentsImported', 'RestorationApproved'],
    async react(event: TypedRecordedEvent<Handled>) {
      const context = { actor: event.metadata.actor, correlationId: event.metadata.correlationId, causationId: event.metadata.eventId };
      try {
        switch (event.type) {
          case 'RecordLeft':
          case 'RecordCancelled':
          // moved to another kindergarten (issue 15): out of the sending kindergarten's class
          case 'RecordTransferred':
            return await lifecycle.release(event.data.recordId, context);
          case 'ClassGraduationDecided':
            return await lifecycle.completeGraduation(event.data.classId, event.data.graduationId, context);
          case 'ClassPromoted':
            return await reconciliation.promotion(event.data.classId, event.data.targetClassId, event.data.promoted, context);
          case 'ChildPlaced':
            return await reconciliation.placement(event.data.recordId, event.data.fromClassId, context);
          case 'ClassAssignmentsImported':
            return await reconciliation.importBatch(event.data.batchId, context);
          case 'RestorationApproved':
            return await lifecycle.carryOutRestoration(event.data.applicationId, context);
        }
      } catch (error) {
        if (!(error instanceof DomainError) || error.kind === 'conflict' || error.kind === 'unavailable') throw error;
        logger.warn('reaction refused', { event: event.type, eventId: event.metadata.eventId, code: error.code });
      }
    },
  };
}

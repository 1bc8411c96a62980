import type { TypedRecordedEvent } from '../../shared/event-store/event-store.port.js';
import { type ProjectionDefinition, physicalCollection } from '../../shared/projections/projection-definition.js';
import type { Doc } from '../../shared/read-store/read-store.port.js';
import type { TransferEvent } from '../domain/transfer.decider.js';

type Event = TypedRecordedEvent<TransferEvent>;

/**
 * One document per transfer: the kindergartens' queues and the counties' lists are filters on
 * it. `awaitingInstitutionCode` is who must act next (the sending kindergarten to agree, the
 * receiving one to complete), `waitingInstitutionCode` who waits for it; both null once closed.
 * The due date, overdue and working days elapsed depend on the holiday calendar and today: the
 * queries compute them from `appliedAt` (no timer, no due date stored: ADR 24). v2: no `dueDate`.
 */
export const transfersProjection: ProjectionDefinition<TransferEvent> = {
  name: 'transfers',
  version: 2,
  collections: {
    transfers: {
      indexes: ['recordId', 'status', 'open', 'fromInstitutionCode', 'toInstitutionCode', 'fromDivisionCode', 'toDivisionCode', 'awaitingInstitutionCode', 'waitingInstitutionCode', 'appliedAt'],
    },
  },
  handles: ['TransferApplied', 'TransferAgreed', 'TransferRefused', 'TransferWithdrawn', 'TransferCompleted'],
  keys: (event) => [{ collection: 'transfers', id: String((event.data as { transferId: string }).transferId) }],
  evolve(_collection, doc, event) {
    const e = event as Event;
    const at = e.metadata.occurredAt;
    if (e.type === 'TransferApplied') {
      const { transferId, recordId, flow, fromInstitutionCode, fromDivisionCode, toInstitutionCode, toDivisionCode } = e.data;
      const ready = flow === 'sending-first';
      return {
        id: transferId, recordId, flow, status: ready ? 'ready' : 'applied', open: true,
        fromInstitutionCode, fromDivisionCode, toInstitutionCode, toDivisionCode,
        awaitingInstitutionCode: ready ? toInstitutionCode : fromInstitutionCode,
        waitingInstitutionCode: ready ? null : toInstitutionCode,
        appliedAt: at, appliedBy: e.metadata.actor.accountId,
        agreedAt: null, closedAt: null, closedBy: null, reason: null, recordStatus: null, updatedAt: at,
      };
    }
    if (!doc) return null;
    switch (e.type) {
      case 'TransferAgreed':
        return { ...doc, status: 'ready', agreedAt: at, awaitingInstitutionCode: doc['toInstitutionCode'], waitingInstitutionCode: doc['fromInstitutionCode'], updatedAt: at };
      case 'TransferRefused':
        return closed(doc, e, 'refused');
      case 'TransferWithdrawn':
        return closed(doc, e, 'withdrawn');
      case 'TransferCompleted':
        return { ...closed(doc, e, 'completed'), recordStatus: e.data.recordStatus };
      default:
        return doc;
    }
  },
};

function closed(doc: Doc, e: Event, status: string): Doc {
  const at = e.metadata.occurredAt;
  return { ...doc, status, open: false, awaitingInstitutionCode: null, waitingInstitutionCode: null, closedAt: at, closedBy: e.metadata.actor.accountId, reason: e.metadata.reason ?? null, updatedAt: at };
}

export const TRANSFERS = physicalCollection(transfersProjection, 'transfers');

import { CommandPath } from '../../shared/command/command-path.js';
import type { RecordEvent } from '../../records/contracts/index.js';
import type { TypedRecordedEvent } from '../../shared/event-store/event-store.port.js';
import type { Logger } from '../../shared/logging/json-logger.js';
import type { ReactorDefinition } from '../../shared/projections/reactor.js';
import { type TransferEvent, transferDecider, transferStream } from '../domain/transfer.decider.js';
import { TransferSteps } from './transfer-steps.js';

type Handled = TransferEvent | Extract<RecordEvent, { type: 'RecordTransferred' }>;

const STEP = { TransferApplied: 'applied', TransferAgreed: 'agreed', TransferRefused: 'refused', TransferWithdrawn: 'withdrawn' } as const;

/**
 * The process manager of transfers (architecture rule 3), from the durable log: every step is
 * noted on the child's record with the step's own actor (its history), a closed transfer frees
 * the child's reservation, and a record moved for a transfer completes it. The requests do the
 * same at once; this completes what a crash interrupted. Every command is idempotent (ADR 24).
 */
export function transfersReactor(commands: CommandPath, steps: TransferSteps, logger: Logger): ReactorDefinition<Handled> {
  return {
    name: 'transfers',
    handles: ['TransferApplied', 'TransferAgreed', 'TransferRefused', 'TransferWithdrawn', 'TransferCompleted', 'RecordTransferred'],
    async react(event: TypedRecordedEvent<Handled>) {
      const context = { actor: event.metadata.actor, correlationId: event.metadata.correlationId, causationId: event.metadata.eventId };
      try {
        // what a request wrote in the same write as the event is seen in this process's states without a read (ADR 24)
        const after = event.position;
        if (event.type === 'RecordTransferred') return void (await steps.completedAfter(event.data.transferId, event.data.status, context, after));
        const { state } = await commands.loadIncluding(transferStream(event.data.transferId), transferDecider, after);
        if (event.type !== 'TransferCompleted') await steps.note(state, STEP[event.type], event.metadata.reason ?? null, context, after);
        if (event.type === 'TransferRefused' || event.type === 'TransferWithdrawn' || event.type === 'TransferCompleted') await steps.release(state.recordId, state.transferId, context, after);
      } catch (error) {
        TransferSteps.skipRefusal(error);
        logger.warn('reaction refused', { event: event.type, eventId: event.metadata.eventId, code: (error as { code?: string }).code });
      }
    },
  };
}

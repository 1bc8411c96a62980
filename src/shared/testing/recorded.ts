import { randomUUID } from 'node:crypto';
import type { RecordedEvent } from '../event-store/event-store.port.js';

let nextPosition = 1;

/** A stored event for projection and process-manager tests; positions increase per call. */
export function recorded(
  type: string,
  data: Record<string, unknown>,
  options: Partial<Pick<RecordedEvent, 'streamId' | 'revision' | 'position' | 'recordedAt'>> & { reason?: string } = {},
): RecordedEvent {
  const position = options.position ?? nextPosition++;
  nextPosition = Math.max(nextPosition, position + 1);
  return {
    type,
    data,
    streamId: options.streamId ?? 'test-stream',
    revision: options.revision ?? 0,
    position,
    recordedAt: options.recordedAt ?? new Date().toISOString(),
    metadata: {
      eventId: randomUUID(),
      actor: { accountId: 'test-account', role: 'business', organisationId: 'test-org' },
      correlationId: 'test-correlation',
      causationId: null,
      occurredAt: options.recordedAt ?? new Date().toISOString(),
      schemaVersion: 1,
      ...(options.reason !== undefined ? { reason: options.reason } : {}),
    },
  };
}

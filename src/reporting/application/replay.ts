import type { EventRegistry } from '../../shared/events/event-registry.js';
import type { EventStore, RecordedEvent } from '../../shared/event-store/event-store.port.js';
import { COUNTED_EVENT_TYPES, applyToCounters } from '../domain/counters.js';
import { MemoryTables } from '../domain/memory-tables.js';
import { lastDayOf } from '../domain/snapshot.decider.js';

const BATCH = 2000;
const HANDLED = new Set(COUNTED_EVENT_TYPES);

/** Reads the log forward after `after` up to `upTo` (inclusive) in batches, only the types the counters read. */
async function* counted(events: EventStore, registry: EventRegistry, after: number, upTo: number): AsyncGenerator<RecordedEvent> {
  let position = after;
  while (position < upTo) {
    const batch = await events.readAll({ after: position, maxCount: BATCH, types: COUNTED_EVENT_TYPES });
    if (batch.length === 0) return;
    for (const event of batch) {
      if (event.position > upTo) return;
      if (HANDLED.has(event.type)) yield registry.upcast(event);
    }
    position = batch[batch.length - 1]!.position;
  }
}

/** The counters as of log position `upTo`, recomputed from the log with the live projection's reducer. */
export async function replayCounters(events: EventStore, registry: EventRegistry, upTo: number): Promise<MemoryTables> {
  const tables = new MemoryTables();
  for await (const event of counted(events, registry, 0, upTo)) applyToCounters(tables, event);
  return tables;
}

/**
 * The last log position whose event occurred before `cutoff` (0: none). Events are stamped by the
 * service's one clock as they are appended, so occurredAt grows with the position: a binary search
 * reads a few dozen events, not the month.
 */
export async function cutoffPosition(events: EventStore, cutoff: Date, from = 0): Promise<number> {
  const limit = cutoff.toISOString();
  let lo = from;
  let hi = await events.headPosition();
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    const [event] = await events.readAll({ after: mid - 1, maxCount: 1 });
    if (!event || event.position > hi) hi = mid - 1;
    else if (event.metadata.occurredAt < limit) lo = event.position;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * A past month as corrected since (ADR 26): its counters at the cut-off, plus the events recorded
 * after the cut-off that correct what was true at it: a leave or accident dated before the
 * cut-off's day but registered later; a restoration of a child who had left by the cut-off (the
 * leave is undone as if it never happened); a correction of a child's fields (RecordEdited) of a
 * record that existed then. New records, reviews and class changes after the cut-off belong to
 * later months and are not applied.
 */
export async function correctedCounters(events: EventStore, registry: EventRegistry, month: string, cutoffAt: number): Promise<{ tables: MemoryTables; applied: number }> {
  const tables = await replayCounters(events, registry, cutoffAt);
  const lastDay = lastDayOf(month);
  let applied = 0;
  for await (const event of counted(events, registry, cutoffAt, Number.MAX_SAFE_INTEGER)) {
    if (concerns(tables, event, month, lastDay)) {
      applyToCounters(tables, event);
      applied++;
    }
  }
  return { tables, applied };
}

function concerns(tables: MemoryTables, event: RecordedEvent, month: string, lastDay: string): boolean {
  const data = event.data as Record<string, string>;
  const fact = data['recordId'] ? tables.record(data['recordId']) : undefined;
  if (!fact) return false;
  switch (event.type) {
    case 'RecordLeft':
      return fact.status === 'numbered' && data['leaveDate']! < lastDay;
    case 'RecordCancelled':
      return fact.status === 'numbered' && data['accidentDate']! < lastDay;
    case 'RecordRestored':
      return (fact.status === 'left' || fact.status === 'cancelled') && fact.leave !== null && fact.leave.month <= month;
    case 'RecordEdited':
      return true;
    default:
      return false;
  }
}

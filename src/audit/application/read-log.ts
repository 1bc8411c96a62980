import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { CommandPath } from '../../shared/command/command-path.js';
import type { NewEvent } from '../../shared/event-store/event-store.port.js';
import type { PersonalDataReadEntry, ReadAuditSink } from '../../shared/personal-data/read-audit.js';
import { beijingDate } from '../../shared/time/beijing.js';
import { CLOCK, type Clock, isoNow } from '../../shared/time/clock.js';
import { personalDataReadDecider, personalDataReadStream } from '../domain/personal-data-read.decider.js';

/** entries one write takes at most (a burst is written in a few appends, none of them huge) */
const MAX_GROUP = 1000;

interface Pending {
  streamId: string;
  events: NewEvent[];
  settle: (error?: unknown) => void;
}

/**
 * The READ_AUDIT_SINK (ADR 0029): each answer's reads become one PersonalDataRead on the reader's
 * stream of the day, and the answer waits until it is durably stored. Concurrent answers share one
 * write (group commit): while a write is in flight, new entries queue; the next write takes them
 * all in one appendMany, one append per stream. A read is a fact without invariant, so it is
 * decided without loading its stream and appended with expected revision 'any': fifty clients of
 * one account no longer queue on that stream's load-decide-append turn.
 */
@Injectable()
export class ReadLog implements ReadAuditSink {
  private queue: Pending[] = [];
  private writing = false;

  constructor(private readonly commands: CommandPath, @Inject(CLOCK) private readonly clock: Clock) {}

  record(entry: PersonalDataReadEntry): Promise<void> {
    const at = isoNow(this.clock);
    const { accountId, role, organisationId } = entry.reader;
    const reader = { accountId, role, organisationId };
    // decided and checked against the schema now: an invalid entry fails its own answer only
    const { streamId, events } = this.commands.prepareStart({
      streamId: personalDataReadStream(accountId, beijingDate(at)),
      decider: personalDataReadDecider,
      command: { type: 'RecordRead', readId: randomUUID(), reader, route: entry.route.slice(0, 200), clientAddress: entry.clientAddress.slice(0, 64), subjects: entry.subjects, at },
      context: { actor: reader, correlationId: entry.correlationId, causationId: null, clientAddress: entry.clientAddress },
    });
    if (events.length === 0) return Promise.resolve();
    // held until stored: shutdown's drain waits for queued reads as for commands
    const release = this.commands.hold();
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ streamId, events, settle: (error) => (release(), error === undefined ? resolve() : reject(error)) });
      this.next();
    });
  }

  /** Starts the next write unless one is in flight; it takes what queued meanwhile. */
  private next(): void {
    if (this.writing || this.queue.length === 0) return;
    this.writing = true;
    const group = this.queue.splice(0, MAX_GROUP);
    void this.write(group).finally(() => {
      this.writing = false;
      this.next();
    });
  }

  private async write(group: Pending[]): Promise<void> {
    const byStream = new Map<string, NewEvent[]>();
    for (const { streamId, events } of group) {
      const stream = byStream.get(streamId);
      if (stream) stream.push(...events);
      else byStream.set(streamId, [...events]);
    }
    try {
      await this.commands.appendFacts([...byStream].map(([streamId, events]) => ({ streamId, events })));
    } catch (error) {
      // nothing of this group is known to be stored (KurrentDB may have kept some streams): every answer in it fails
      for (const p of group) p.settle(error);
      return;
    }
    for (const p of group) p.settle();
  }
}

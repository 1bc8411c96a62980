import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { CommandPath } from '../../shared/command/command-path.js';
import type { PersonalDataReadEntry, ReadAuditSink } from '../../shared/personal-data/read-audit.js';
import { beijingDate } from '../../shared/time/beijing.js';
import { CLOCK, type Clock, isoNow } from '../../shared/time/clock.js';
import { personalDataReadDecider, personalDataReadStream } from '../domain/personal-data-read.decider.js';

/** The READ_AUDIT_SINK: each answer's reads become one PersonalDataRead on the reader's stream of the day. */
@Injectable()
export class ReadLog implements ReadAuditSink {
  constructor(private readonly commands: CommandPath, @Inject(CLOCK) private readonly clock: Clock) {}

  async record(entry: PersonalDataReadEntry): Promise<void> {
    const at = isoNow(this.clock);
    const { accountId, role, organisationId } = entry.reader;
    const reader = { accountId, role, organisationId };
    await this.commands.run({
      streamId: personalDataReadStream(accountId, beijingDate(at)),
      decider: personalDataReadDecider,
      command: { type: 'RecordRead', readId: randomUUID(), reader, route: entry.route.slice(0, 200), clientAddress: entry.clientAddress.slice(0, 64), subjects: entry.subjects, at },
      context: { actor: reader, correlationId: entry.correlationId, causationId: null, clientAddress: entry.clientAddress },
    });
  }
}

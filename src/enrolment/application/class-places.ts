import { Injectable } from '@nestjs/common';
import type { CommandContext, PreparedAppend } from '../../shared/command/command-path.js';
import { Lifecycle } from './lifecycle.js';

/**
 * What other contexts may ask of the classes (transfers, issue 15): a child that moved to
 * another kindergarten gives its class place up at once, so the receiving kindergarten can assign
 * it straight away. Idempotent; the enrolment reactor does the same from RecordTransferred.
 */
@Injectable()
export class ClassPlaces {
  constructor(private readonly lifecycle: Lifecycle) {}

  giveUp(recordId: string, context: CommandContext): Promise<void> {
    return this.lifecycle.release(recordId, { ...context, expectedRevision: undefined });
  }

  /** `giveUp` decided, not stored: the transfer's completion appends it in the same write as the move (ADR 24). */
  prepareGiveUp(recordId: string, context: CommandContext): Promise<Array<PreparedAppend<unknown> & { decider: object }>> {
    return this.lifecycle.prepareRelease(recordId, context);
  }
}

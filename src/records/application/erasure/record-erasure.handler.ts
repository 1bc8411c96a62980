import { Inject, Injectable } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { Principal } from '../../../accounts/contracts/index.js';
import { covers } from '../../../shared/access/jurisdiction.js';
import { type CommandContext, type CommandOutcome, CommandPath } from '../../../shared/command/command-path.js';
import { forbidden, notFound, unavailable } from '../../../shared/domain/domain-error.js';
import type { RecordedEvent } from '../../../shared/event-store/event-store.port.js';
import { DATA_KEY_SHREDDER, type DataKeyShredder } from '../../../shared/personal-data/data-key-shredder.js';
import { KEYED_HASHER, type KeyedHasher } from '../../../shared/personal-data/keyed-hash.js';
import { CLOCK, type Clock, isoNow } from '../../../shared/time/clock.js';
import { dedupeKeyHash } from '../deduplication/key-hash.js';
import { type ErasureGround, type RecordEvent, type RecordState, recordDecider, recordStream } from '../../domain/record.decider.js';
import { DuplicateCases, leftEvent } from '../cases/duplicate-cases.js';
import { RECORD_NOT_FOUND } from '../record-access.js';
import type { Logger } from '../../../shared/logging/json-logger.js';
import type { ReactorDefinition } from '../../../shared/projections/reactor.js';
import { refusalsLogged } from '../deduplication/deduplication.reactor.js';

type RecordOutcome = CommandOutcome<RecordState>;
type Erased = Extract<RecordEvent, { type: 'RecordErased' }>['data'];

/** The steps after the audit event, each idempotent: the request and the reactor both run them. */
@Injectable()
export class RecordErasure {
  constructor(
    private readonly cases: DuplicateCases,
    @Inject(DATA_KEY_SHREDDER) private readonly shredder: DataKeyShredder,
  ) {}

  requireEnabled(): void {
    if (!this.shredder.enabled) throw unavailable('erasure-unavailable', '本系统未启用个人信息加密存储（PERSONAL_DATA_ENCRYPTION），不能以销毁密钥的方式擦除学籍，请联系系统运维');
  }

  followCase(outcome: RecordOutcome, context: CommandContext): Promise<unknown> {
    return this.cases.followRecord(outcome, context);
  }

  async complete(event: Pick<RecordedEvent, 'data' | 'metadata'>): Promise<void> {
    const { recordId, keyHash, erasedAt } = event.data as Erased;
    const context = { actor: event.metadata.actor, correlationId: event.metadata.correlationId, causationId: event.metadata.eventId };
    if (keyHash) await this.cases.release(keyHash, recordId, context);
    this.shredder.shred(recordId, { at: erasedAt, by: event.metadata.actor.accountId, reason: event.metadata.reason ?? '' });
  }
}

export class EraseRecord extends Command<RecordOutcome> {
  constructor(
    readonly principal: Principal,
    readonly recordId: string,
    readonly ground: ErasureGround,
    readonly reason: string,
    readonly context: CommandContext,
  ) {
    super();
  }
}

/**
 * Erasure (issue 21, item 5): the county administrator of the record's county, with a ground
 * and a reason, erases a record entered by mistake or past its retention. The RecordErased event
 * is the audit (who, when, why); then the record gives its de-duplication key up and its data
 * key is destroyed. The events stay; their personal fields read as erased everywhere after.
 * The erasure reactor repeats both steps from the log, so a crash in between loses nothing.
 */
@CommandHandler(EraseRecord)
export class EraseRecordHandler implements ICommandHandler<EraseRecord> {
  constructor(
    private readonly commands: CommandPath,
    private readonly erasure: RecordErasure,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(KEYED_HASHER) private readonly hasher: KeyedHasher,
  ) {}

  async execute({ principal, recordId, ground, reason, context }: EraseRecord): Promise<RecordOutcome> {
    if (principal.level !== 'county' || principal.role !== 'admin') throw forbidden('county-admin-only', '擦除学籍须由幼儿所在区县的管理员账号办理');
    this.erasure.requireEnabled();
    const outcome = await this.commands.run({
      streamId: recordStream(recordId), decider: recordDecider, command: { type: 'EraseRecord', ground, reason, at: isoNow(this.clock), hashKey: (key) => dedupeKeyHash(this.hasher, key) }, context,
      authorise: (state) => {
        if (state.status === 'none' || !covers(principal, state)) throw notFound('record-not-found', RECORD_NOT_FOUND);
      },
    });
    // a problem record leaves its case first, as a deletion does (which may settle the case)
    if (leftEvent(outcome.events)) await this.erasure.followCase(outcome, context);
    const erased = outcome.events.find((e) => e.type === 'RecordErased');
    if (erased) await this.erasure.complete(erased);
    return outcome;
  }
}

export const RECORD_ERASURE_PROVIDERS = [EraseRecordHandler, RecordErasure];

/** The safety net: every erasure in the log has its key released and its data key destroyed. */
export function erasureReactor(erasure: RecordErasure, logger: Logger): ReactorDefinition<Extract<RecordEvent, { type: 'RecordErased' }>> {
  return { name: 'record-erasure', handles: ['RecordErased'], react: refusalsLogged(logger, (event) => erasure.complete(event)) };
}

import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { Principal } from '../../accounts/contracts/index.js';
import { KEY_COLUMNS, parseKeyRow } from '../../records/contracts/index.js';
import { type CommandContext, type CommandOutcome, CommandPath } from '../../shared/command/command-path.js';
import { invalid } from '../../shared/domain/domain-error.js';
import { CLOCK, type Clock, isoNow } from '../../shared/time/clock.js';
import { type PupilListCommand, type PupilListState, correctable, pupilListDecider, pupilListStream } from '../domain/pupil-list.decider.js';
import type { Pupil } from '../domain/pupil.js';
import { requireOwnList } from './handover-access.js';
import { PupilMatcher } from './pupil-matcher.js';

export type EntryOutcome = CommandOutcome<PupilListState>;

/** The five key fields as typed in a correction: parsed as a list row is, each problem on its field. */
export function parsePupil(input: Record<string, unknown>, at: string): Pupil {
  const parsed = parseKeyRow(1, input, at);
  if (parsed.ok) return parsed.key;
  const fieldOf = new Map(KEY_COLUMNS.map((c) => [c.header, c.key]));
  throw invalid(parsed.issues.map((i) => ({ field: fieldOf.get(i.column) ?? i.column, code: i.code, message: i.reason, value: i.value })), '学生信息有误，请按提示修改');
}

/** One command on one entry of the caller's own list. */
function runOnList(commands: CommandPath, principal: Principal, listId: string, command: PupilListCommand, context: CommandContext): Promise<EntryOutcome> {
  return commands.run({ streamId: pupilListStream(listId), decider: pupilListDecider, command, context, authorise: (state) => requireOwnList(principal, state) });
}

export class CorrectEntry extends Command<EntryOutcome> {
  constructor(readonly principal: Principal, readonly listId: string, readonly entryId: string, readonly input: Record<string, unknown>, readonly context: CommandContext) {
    super();
  }
}

/** Correcting an entry not yet matched runs matching again on the corrected fields (issue 16, item 3). */
@CommandHandler(CorrectEntry)
export class CorrectEntryHandler implements ICommandHandler<CorrectEntry> {
  constructor(private readonly commands: CommandPath, private readonly matcher: PupilMatcher, @Inject(CLOCK) private readonly clock: Clock) {}

  async execute({ principal, listId, entryId, input, context }: CorrectEntry): Promise<EntryOutcome> {
    const at = isoNow(this.clock);
    // a matched entry is refused as such, whatever the correction says
    const { state } = await this.commands.load(pupilListStream(listId), pupilListDecider);
    requireOwnList(principal, state);
    correctable(state, entryId);
    const pupil = parsePupil(input, at);
    const [match] = await this.matcher.match([pupil]);
    return runOnList(this.commands, principal, listId, { type: 'CorrectEntry', entryId, pupil, match: match!, at }, context);
  }
}

export class DeleteEntry extends Command<EntryOutcome> {
  constructor(readonly principal: Principal, readonly listId: string, readonly entryId: string, readonly reason: string, readonly context: CommandContext) {
    super();
  }
}

@CommandHandler(DeleteEntry)
export class DeleteEntryHandler implements ICommandHandler<DeleteEntry> {
  constructor(private readonly commands: CommandPath, @Inject(CLOCK) private readonly clock: Clock) {}

  execute({ principal, listId, entryId, reason, context }: DeleteEntry): Promise<EntryOutcome> {
    return runOnList(this.commands, principal, listId, { type: 'DeleteEntry', entryId, reason, at: isoNow(this.clock) }, context);
  }
}

export class ConfirmCandidate extends Command<EntryOutcome> {
  /** recordId null: none of the candidates is the pupil */
  constructor(readonly principal: Principal, readonly listId: string, readonly entryId: string, readonly recordId: string | null, readonly context: CommandContext) {
    super();
  }
}

/** 确认: the right candidate picked, or "none match" (undone by correcting the entry). */
@CommandHandler(ConfirmCandidate)
export class ConfirmCandidateHandler implements ICommandHandler<ConfirmCandidate> {
  constructor(private readonly commands: CommandPath, @Inject(CLOCK) private readonly clock: Clock) {}

  execute({ principal, listId, entryId, recordId, context }: ConfirmCandidate): Promise<EntryOutcome> {
    const at = isoNow(this.clock);
    const command: PupilListCommand = recordId ? { type: 'ConfirmCandidate', entryId, recordId, at } : { type: 'RejectCandidates', entryId, at };
    return runOnList(this.commands, principal, listId, command, context);
  }
}

export const ENTRY_HANDLERS = [CorrectEntryHandler, DeleteEntryHandler, ConfirmCandidateHandler];

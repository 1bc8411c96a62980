import { Inject, Injectable } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler, IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import type { Principal } from '../../accounts/contracts/index.js';
import { InstitutionDirectory } from '../../organisation/contracts/index.js';
import { type ChildFields, RecordRegister, checkChildFields } from '../../records/contracts/index.js';
import { type CommandContext, CommandPath } from '../../shared/command/command-path.js';
import { DomainError, invalid, notFound } from '../../shared/domain/domain-error.js';
import { personalDataShown } from '../../shared/personal-data/read-audit.js';
import { CLOCK, type Clock, isoNow } from '../../shared/time/clock.js';
import { ENTRY_NOT_FOUND, type PupilEntry, type SupplementFacts, checkSupplement, pupilListDecider, pupilListStream } from '../domain/pupil-list.decider.js';
import { EDITABLE_FIELDS, LOCKED_FIELDS, STATUS_LABEL, SUPPLEMENT_FIELDS, type SupplementFields } from '../domain/pupil.js';
import { requireOwnList } from './handover-access.js';
import type { EntryOutcome } from './entry.handlers.js';

const pick = (child: ChildFields): SupplementFields => Object.fromEntries(SUPPLEMENT_FIELDS.map((f) => [f, child[f] ?? null])) as SupplementFields;

export interface SupplementForm {
  entryId: string;
  recordId: string;
  recordNumber: string | null;
  kindergarten: { code: string; name: string | null };
  fields: SupplementFields;
  locked: string[];
  editable: string[];
}

/**
 * 补录 (issue 16, item 5): the matched entry's record (once supplemented, the school's copy), read from its stream, opens the form; saving
 * hands the record over (records decides: one school at most, the child leaves its kindergarten)
 * and then stores the school's copy on the list. In this order, a crash between the two leaves a
 * handed-over record and a matched entry: saving again finds the hand-over already there
 * (nothing changes) and completes the entry.
 */
@Injectable()
export class Supplements {
  constructor(
    private readonly commands: CommandPath,
    private readonly register: RecordRegister,
    private readonly directory: InstitutionDirectory,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async form(principal: Principal, listId: string, entryId: string): Promise<SupplementForm> {
    const { entry, facts, child } = await this.load(principal, listId, entryId);
    const names = await this.directory.names([facts.kindergartenCode]);
    const record = await this.register.get(facts.recordId);
    // the record's 17 fields in full, to the school that matched it: a read of the child's data (ADR 22)
    personalDataShown([{ recordId: facts.recordId, institutionCode: facts.kindergartenCode, divisionCode: facts.kindergartenDivisionCode }]);
    return {
      entryId, recordId: facts.recordId, recordNumber: record?.recordNumber ?? null,
      kindergarten: { code: facts.kindergartenCode, name: names.get(facts.kindergartenCode) ?? null },
      fields: entry.fields ?? pick(child), locked: [...LOCKED_FIELDS], editable: [...EDITABLE_FIELDS],
    };
  }

  async save(principal: Principal, listId: string, entryId: string, input: Partial<Record<string, string | null>>, context: CommandContext): Promise<EntryOutcome & { handedOverAt: number }> {
    const at = isoNow(this.clock);
    const { entry, facts, child, schoolCode } = await this.load(principal, listId, entryId);
    const fields = { ...pick(child) };
    for (const f of SUPPLEMENT_FIELDS) if (input[f] !== undefined) fields[f] = input[f] === '' ? null : input[f];
    checkSupplement(entry, facts, fields); // the locked fields first: nothing is handed over on a refusal
    const checked = checkChildFields({ ...child, ...fields, name: fields.name ?? '', gender: fields.gender ?? '', birthDate: fields.birthDate ?? '', idType: fields.idType ?? '' }, at);
    const errors = checked.errors.filter((e) => (SUPPLEMENT_FIELDS as readonly string[]).includes(e.field));
    if (errors.length > 0) throw invalid(errors, '补录信息有误，请按提示修改后再保存');
    const school = await this.directory.institution(schoolCode);
    const handed = await this.register.handOver(facts.recordId, { schoolCode, schoolName: school?.name ?? schoolCode, entryId }, context);
    const outcome = await this.commands.run({
      streamId: pupilListStream(listId),
      decider: pupilListDecider,
      command: { type: 'SupplementEntry', entryId, facts, fields: pick(checked.child), at },
      context,
      authorise: (state) => requireOwnList(principal, state),
    });
    return { ...outcome, position: Math.max(outcome.position, handed.position), handedOverAt: handed.position };
  }

  /** The entry of the caller's own list, its matched record's facts and the record's fields. */
  private async load(principal: Principal, listId: string, entryId: string): Promise<{ entry: PupilEntry; facts: SupplementFacts; child: ChildFields; schoolCode: string }> {
    const { state } = await this.commands.load(pupilListStream(listId), pupilListDecider);
    requireOwnList(principal, state);
    const entry = state.entries[entryId];
    if (!entry || entry.status === 'deleted') throw notFound('entry-not-found', ENTRY_NOT_FOUND);
    if (!entry.recordId) {
      throw new DomainError('rule', 'entry-status', `该学生当前为“${STATUS_LABEL[entry.status]}”，不能补录。只有“已匹配学前学籍”的学生可以补录：待确认的请先确认`, [], { status: entry.status });
    }
    const [record, child] = await Promise.all([this.register.get(entry.recordId!), this.register.child(entry.recordId!)]);
    if (!record || !child) throw notFound('record-not-found', '匹配的学前学籍已不存在，请刷新后重新匹配');
    return { entry, child, schoolCode: state.schoolCode, facts: { recordId: record.recordId, kindergartenCode: record.institutionCode, kindergartenDivisionCode: record.divisionCode, recordKey: record.key } };
  }
}

export class SaveSupplement extends Command<EntryOutcome & { handedOverAt: number }> {
  constructor(readonly principal: Principal, readonly listId: string, readonly entryId: string, readonly fields: Partial<Record<string, string | null>>, readonly context: CommandContext) {
    super();
  }
}

@CommandHandler(SaveSupplement)
export class SaveSupplementHandler implements ICommandHandler<SaveSupplement> {
  constructor(private readonly supplements: Supplements) {}

  execute({ principal, listId, entryId, fields, context }: SaveSupplement) {
    return this.supplements.save(principal, listId, entryId, fields, context);
  }
}

export class GetSupplementForm extends Query<SupplementForm> {
  constructor(readonly principal: Principal, readonly listId: string, readonly entryId: string) {
    super();
  }
}

@QueryHandler(GetSupplementForm)
export class GetSupplementFormHandler implements IQueryHandler<GetSupplementForm> {
  constructor(private readonly supplements: Supplements) {}

  execute({ principal, listId, entryId }: GetSupplementForm) {
    return this.supplements.form(principal, listId, entryId);
  }
}

export const SUPPLEMENT_HANDLERS = [Supplements, SaveSupplementHandler, GetSupplementFormHandler];

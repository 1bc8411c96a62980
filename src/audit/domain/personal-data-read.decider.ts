import type { Decider, DomainEvent } from '../../shared/domain/decider.js';
import type { ReadSubject } from '../../shared/personal-data/read-audit.js';

/**
 * The read audit (issue 21, item 6; ADR 22): every answer that showed children's personal data
 * unmasked is a fact, kept in the log like every other (MLPS level 3 security audit). One stream per
 * reading account and Beijing day: names carry no personal data, and one busy account does not make
 * every other reader wait on its stream.
 */
/** The reading account, as event metadata names an actor. */
export interface Reader {
  accountId: string;
  role: string;
  organisationId: string;
}

export type PersonalDataReadEvent = DomainEvent<'PersonalDataRead', {
  readId: string;
  reader: Reader;
  route: string;
  clientAddress: string;
  subjects: ReadSubject[];
  readAt: string;
}>;

export type PersonalDataReadCommand = { type: 'RecordRead'; readId: string; reader: Reader; route: string; clientAddress: string; subjects: ReadSubject[]; at: string };

export const personalDataReadDecider: Decider<PersonalDataReadCommand, { readIds: number }, PersonalDataReadEvent> = {
  initialState: { readIds: 0 },
  decide({ readId, reader, route, clientAddress, subjects, at }) {
    return subjects.length === 0 ? [] : [{ type: 'PersonalDataRead', data: { readId, reader, route, clientAddress, subjects, readAt: at } }];
  },
  evolve: (state) => ({ readIds: state.readIds + 1 }),
};

/** `day`: the Beijing date (YYYY-MM-DD) of the read. */
export const personalDataReadStream = (accountId: string, day: string): string => `personal-data-reads-${accountId}-${day.replaceAll('-', '')}`;

import { Inject, Injectable } from '@nestjs/common';
import { CommandPath } from '../../shared/command/command-path.js';
import { READ_STORE } from '../../shared/infrastructure/tokens.js';
import { type ReadStore, findAll } from '../../shared/read-store/read-store.port.js';
import type { KeyInformation } from '../domain/child.js';
import { type RecordState, type RecordStatus, recordDecider, recordStream } from '../domain/record.decider.js';
import { RECORDS } from './record-reads.js';

/** What other contexts may know of a child record: where it lives, its state, its key fields. */
export interface RecordFacts {
  recordId: string;
  institutionCode: string;
  /** the county (GB/T 2260) of the institution holding the record */
  divisionCode: string;
  status: RecordStatus;
  recordNumber: string | null;
  /** the de-duplication key fields (name, gender, birth date, ID type and number): personal data, never log them */
  key: KeyInformation;
  /** the stream revision the facts were read at (pin a follow-up command with it) */
  revision: number;
}

/**
 * The front door of records for other contexts (classes, transfers, hand-over, reports): facts
 * read from the record's own stream, so they are current, not eventually current. The lifecycle
 * commands other contexts send (leave, cancel, move, restore, hand over) are added here with the
 * issues that need them, each through CommandPath with its access check.
 */
@Injectable()
export class RecordRegister {
  constructor(
    private readonly commands: CommandPath,
    @Inject(READ_STORE) private readonly reads: ReadStore,
  ) {}

  /** The record's facts, or null when it never existed (a deleted record answers with status 'deleted'). */
  async get(recordId: string): Promise<RecordFacts | null> {
    const { state, revision } = await this.commands.load(recordStream(recordId), recordDecider);
    return factsOf(state, revision);
  }

  /**
   * The record holding a record number (学籍号), or null. The number is looked up in the records
   * read model and confirmed on the stream, so a number reissued after a key change is never
   * answered with a stale holder.
   */
  async byNumber(recordNumber: string): Promise<RecordFacts | null> {
    for (const doc of await findAll(this.reads, RECORDS, { recordNumber })) {
      const facts = await this.get(doc.id);
      if (facts?.recordNumber === recordNumber) return facts;
    }
    return null;
  }
}

function factsOf(state: RecordState, revision: number): RecordFacts | null {
  if (state.status === 'none' || !state.child) return null;
  const { name, gender, birthDate, idType, idNumber } = state.child;
  return {
    recordId: state.recordId,
    institutionCode: state.institutionCode,
    divisionCode: state.divisionCode,
    status: state.status,
    recordNumber: state.recordNumber,
    key: { name, gender, birthDate, idType, idNumber },
    revision,
  };
}

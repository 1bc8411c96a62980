import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '../../accounts/contracts/index.js';
import { InstitutionDirectory } from '../../organisation/contracts/index.js';
import { RecordRegister, maskPersonal } from '../../records/contracts/index.js';
import { personalDataShown } from '../../shared/personal-data/read-audit.js';
import type { Doc } from '../../shared/read-store/read-store.port.js';
import { beijingDate } from '../../shared/time/beijing.js';
import { CLOCK, type Clock } from '../../shared/time/clock.js';
import { WORKING_DAYS, type WorkingDays } from '../../shared/time/working-days.js';
import { type TransferDeadline, transferDeadline } from '../domain/transfer-deadline.js';
import { maySeeIdNumber } from './transfer-access.js';

/**
 * A transfer as lists and the single view show it: both kindergartens named, the child's name
 * with its ID and record number masked unless the caller holds the child (read through the
 * records facade, so the transfer stores no personal data), and the deadline as of today
 * (counted from the application, null where the holiday calendar does not reach yet: ADR 24).
 */
@Injectable()
export class TransferViews {
  constructor(
    private readonly register: RecordRegister,
    private readonly directory: InstitutionDirectory,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(WORKING_DAYS) private readonly workingDays: WorkingDays,
  ) {}

  async many(principal: Principal, docs: Doc[]): Promise<unknown[]> {
    const names = await this.directory.names(docs.flatMap((d) => [String(d['fromInstitutionCode']), String(d['toInstitutionCode'])]));
    const today = this.today();
    return Promise.all(docs.map(async ({ _pos, ...doc }) => {
      const record = await this.register.get(String(doc['recordId']));
      const child = record ? { name: record.key.name, idNumber: record.key.idNumber, recordNumber: record.recordNumber } : null;
      const unmasked = Boolean(record && maySeeIdNumber(principal, record.institutionCode, record.divisionCode));
      if (record && unmasked) personalDataShown([{ recordId: record.recordId, institutionCode: record.institutionCode, divisionCode: record.divisionCode }]);
      return {
        ...doc,
        fromInstitutionName: names.get(String(doc['fromInstitutionCode'])) ?? null,
        toInstitutionName: names.get(String(doc['toInstitutionCode'])) ?? null,
        child: child && unmasked ? child : child && maskPersonal(child),
        ...this.deadline(doc, today),
      };
    }));
  }

  /** The deadline of a transfer document as of today (the overdue list filters on it). */
  deadline(doc: Doc, today: string = this.today()): TransferDeadline {
    const open = doc['status'] === 'applied' || doc['status'] === 'ready';
    return transferDeadline(this.workingDays, { appliedAt: String(doc['appliedAt']), open, closedAt: doc['closedAt'] ? String(doc['closedAt']) : null }, today);
  }

  today(): string {
    return beijingDate(this.clock.now());
  }
}

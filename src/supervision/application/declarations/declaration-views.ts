import { Inject, Injectable } from '@nestjs/common';
import { InstitutionDirectory } from '../../../organisation/contracts/index.js';
import type { Doc } from '../../../shared/read-store/read-store.port.js';
import { beijingDate } from '../../../shared/time/beijing.js';
import { CLOCK, type Clock } from '../../../shared/time/clock.js';
import { WORKING_DAYS, type WorkingDays } from '../../../shared/time/working-days.js';
import { timingOf } from './declaration-timing.js';

const strip = ({ _pos, ...doc }: Doc & { _pos?: number }): Doc => doc;

/** Rows as the queues show them: institution names and the working-day timing as of today (Beijing). */
@Injectable()
export class DeclarationViews {
  constructor(private readonly directory: InstitutionDirectory, @Inject(CLOCK) private readonly clock: Clock, @Inject(WORKING_DAYS) private readonly days: WorkingDays) {}

  async rows(docs: Doc[]): Promise<Doc[]> {
    const names = await this.directory.names(docs.map((d) => String(d['institutionCode'])));
    const today = beijingDate(this.clock.now());
    return docs.map((d) => ({ ...strip(d), institutionName: names.get(String(d['institutionCode'])) ?? null, ...timingOf(d, today, this.days) }));
  }
}


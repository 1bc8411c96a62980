import { Inject, Injectable } from '@nestjs/common';
import { READ_STORE, type ReadStore } from '../../shared/read-store/read-store.port.js';
import { beijingDate, schoolYearStart } from '../../shared/time/beijing.js';
import { addMonths } from '../domain/snapshot.decider.js';
import { COUNTERS, type UnitDoc } from '../projections/counters.projection.js';

/**
 * The graduates of each county's kindergartens for the hand-over season (issue 16, item 7: how
 * many of the province's graduates were handed over), read from the live counters' leavers by
 * month (`left:<YYYY-MM>:graduated`), so no record is scanned. The season's graduates are those who
 * left as graduated from 1 September of the school year before the current one up to this month:
 * the July graduation of the year that just ended, and a child a primary school took over from a
 * kindergarten after it (the hand-over records that leave in the month it happens).
 */
@Injectable()
export class Graduates {
  constructor(@Inject(READ_STORE) private readonly reads: ReadStore) {}

  async byCounty(countyCodes: readonly string[], now: Date): Promise<Map<string, number>> {
    const months = seasonMonths(now);
    const counts = new Map<string, number>();
    for (const code of new Set(countyCodes)) {
      const doc = await this.reads.get<UnitDoc>(COUNTERS.units, `d:${code}`);
      counts.set(code, months.reduce((n, month) => n + (doc?.counters[`left:${month}:graduated`] ?? 0), 0));
    }
    return counts;
  }
}

/** The months from September of the previous school year to the current Beijing month. */
export function seasonMonths(now: Date): string[] {
  const first = `${schoolYearStart(now) - 1}-09`;
  const current = beijingDate(now).slice(0, 7);
  const months: string[] = [];
  for (let m = first; m <= current; m = addMonths(m, 1)) months.push(m);
  return months;
}

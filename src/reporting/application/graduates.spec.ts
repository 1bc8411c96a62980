import { describe, expect, it } from '@jest/globals';
import type { ReadStore } from '../../shared/read-store/read-store.port.js';
import { COUNTERS } from '../projections/counters.projection.js';
import { Graduates, seasonMonths } from './graduates.js';

describe('the hand-over season’s graduates', () => {
  it('runs from September of the previous school year to this Beijing month', () => {
    expect(seasonMonths(new Date('2026-10-15T00:00:00.000Z'))).toEqual(['2025-09', '2025-10', '2025-11', '2025-12', '2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10']);
    // 00:30 on 1 September in Beijing is already the new school year
    expect(seasonMonths(new Date('2026-08-31T16:30:00.000Z'))[0]).toBe('2025-09');
    expect(seasonMonths(new Date('2026-08-31T15:30:00.000Z'))[0]).toBe('2024-09');
  });

  it('adds up each county’s graduated leavers of the season from the live counters, nothing else', async () => {
    const units: Record<string, unknown> = {
      'd:410102': { id: 'd:410102', counters: { 'left:2026-07:graduated': 30, 'left:2026-09:graduated': 2, 'left:2026-07:transfer-out': 5, 'left:2025-07:graduated': 40 } },
    };
    const reads = { get: async (collection: string, id: string) => (collection === COUNTERS.units ? units[id] ?? null : null) } as unknown as ReadStore;
    const counts = await new Graduates(reads).byCounty(['410102', '410103'], new Date('2026-10-15T00:00:00.000Z'));
    expect([...counts]).toEqual([['410102', 32], ['410103', 0]]);
  });
});

import { describe, expect, it } from '@jest/globals';
import { REPORT_CACHE_ENTRIES, REPORT_TTL_MS, ReportCache, readAt } from './report-cache.js';
import type { UnitReport } from './figures.js';

const report = (unit: string) => ({ unit, level: 'county', name: '中原区', parent: 'd:410100', figures: { at: 'then' }, parts: [{ unit: 'i:1141010001', level: 'institution', name: '一园', figures: { at: 'then' } }] }) as unknown as UnitReport;

describe('the computed report answers', () => {
  it('serves an answer for the same source within the TTL, and computes again for a new position or after it', () => {
    let now = 1_000;
    const cache = new ReportCache(() => now);
    cache.set('live|d:410102', '42|2026-12-02', 'd:410100', report('d:410102'));
    expect(cache.get('live|d:410102', '42|2026-12-02')).toMatchObject({ parent: 'd:410100', report: { unit: 'd:410102' } });
    expect(cache.get('live|d:410102', '43|2026-12-02')).toBeNull(); // the counters moved
    expect(cache.get('live|d:410102', '42|2026-12-03')).toBeNull(); // another Beijing day: month and school year
    now += REPORT_TTL_MS;
    expect(cache.get('live|d:410102', '42|2026-12-02')).toBeNull(); // names may have changed
  });

  it('keeps at most its bound of answers, the oldest leaving first', () => {
    const cache = new ReportCache(() => 0);
    for (let i = 0; i <= REPORT_CACHE_ENTRIES; i++) cache.set(`live|d:${i}`, 's', null, report(`d:${i}`));
    expect(cache.get('live|d:0', 's')).toBeNull();
    expect(cache.get('live|d:1', 's')).not.toBeNull();
    expect(cache.get(`live|d:${REPORT_CACHE_ENTRIES}`, 's')).not.toBeNull();
  });

  it('answers a live read with the moment it is read, leaving the kept answer as it was', () => {
    const kept = report('d:410102');
    const read = readAt(kept, '2026-12-02T01:00:00.000Z');
    expect(read.figures.at).toBe('2026-12-02T01:00:00.000Z');
    expect(read.parts[0]!.figures.at).toBe('2026-12-02T01:00:00.000Z');
    expect(kept.figures.at).toBe('then');
  });
});

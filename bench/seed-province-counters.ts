// The live counters of a big province, written straight into the counters projection's own
// documents (units and institution facts), for the month-end snapshot bench (issue 17): the
// snapshot reads every unit's counters, so its cost follows the units (~20,000 kindergartens,
// ~160 counties), not the 5 M children. Record facts (one per child) are not written: the
// snapshot never reads them, only the projection does when an event names the record.
import { physicalCollection } from '../src/shared/projections/projection-definition.js';
import type { DocWrite, ReadStore } from '../src/shared/read-store/read-store.port.js';
import { COUNTERS, countersProjection } from '../src/reporting/projections/counters.projection.js';
import { type Counters, tidy, unitPlace, unitsOf } from '../src/reporting/domain/units.js';

export interface ProvinceShape {
  /** two-digit province code (not the demo's 41, so the two never mix) */
  province: string;
  prefectures: number;
  counties: number;
  kindergartens: number;
  children: number;
  /** the school year the classes and ages belong to (its first year) */
  schoolYear: number;
  /** the months of the leavers counted (YYYY-MM), the last one being this month */
  months: readonly string[];
}

export const BIG_PROVINCE: Omit<ProvinceShape, 'schoolYear' | 'months'> = { province: '42', prefectures: 17, counties: 160, kindergartens: 20_000, children: 5_000_000 };

const ETHNICITIES = ['02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12', '15'];
const GRADES = ['托班', '小班', '中班', '大班'];
const LEAVES = ['transfer-out', 'graduated', 'suspended', 'other'];

/** One kindergarten's counters for `n` children, spread as a real one would be (deterministic in `i`). */
function kindergartenCounters(n: number, i: number, shape: ProvinceShape): Counters {
  const c: Counters = {};
  const put = (key: string, v: number) => void (v !== 0 && (c[key] = (c[key] ?? 0) + v));
  const part = (share: number) => Math.floor(n * share);
  put('children', n);
  put('st:numbered', n);
  put('st:dedupe-passed', part(0.02) + (i % 3));
  put('st:submitted', i % 4);
  put('st:left', part(0.05));
  put('g:1', part(0.51));
  put('g:2', n - part(0.51));
  const perGrade = [part(0.05), part(0.3), part(0.32)];
  perGrade.push(n - perGrade.reduce((a, b) => a + b, 0));
  GRADES.forEach((g, k) => {
    put(`grade:${g}`, perGrade[k]!);
    put(`classes:${shape.schoolYear}:${g}`, Math.max(1, Math.round(perGrade[k]! / 30)));
  });
  // ages 2 to 5 on 31 August: cohorts schoolYear - 2 ... schoolYear - 5
  perGrade.forEach((count, k) => put(`age:${shape.schoolYear - 2 - k}`, count));
  const minorities = part(0.08);
  put('eth:01', n - minorities);
  for (let k = 0; k < 3; k++) put(`eth:${ETHNICITIES[(i + k) % ETHNICITIES.length]}`, Math.floor(minorities / 3) + (k === 0 ? minorities % 3 : 0));
  put('lb:0', n - part(0.12));
  put('lb:1', part(0.08));
  put('lb:2', part(0.04));
  put('mig:1', part(0.1));
  put('mig:0', n - part(0.1));
  put(`dis:${1 + (i % 7)}`, i % 5 === 0 ? 1 : 0);
  put('orph:1', i % 11 === 0 ? 1 : 0);
  shape.months.forEach((month, k) => LEAVES.forEach((type, t) => put(`left:${month}:${type}`, (i + k + t) % 4 === 0 ? 1 + ((i + k) % 3) : 0)));
  put('inst', 1);
  put('inst:type:kindergarten', 1);
  put(`inst:own:${i % 3 === 0 ? 'public' : 'private'}`, 1);
  put('counted', 1);
  put('counted:type:kindergarten', 1);
  put(`counted:own:${i % 3 === 0 ? 'public' : 'private'}`, 1);
  return c;
}

/**
 * Writes the province's counters (every kindergarten's, each county's, prefecture's and the
 * province's) at the projection's current checkpoint: events never name
 * these units, so the projection leaves them as written. Returns the units and children written.
 */
export async function seedProvinceCounters(reads: ReadStore, shape: ProvinceShape): Promise<{ units: number; children: number }> {
  const position = (await reads.getCheckpoint(COUNTERS.checkpoint)) ?? 0;
  const institutions = physicalCollection(countersProjection, 'institutions');
  const divisions = new Map<string, Counters>();
  let writes: DocWrite[] = [];
  let units = 0;
  let children = 0;
  const flush = async (force = false) => {
    if (writes.length < 2000 && !(force && writes.length > 0)) return;
    await reads.applyBatch(COUNTERS.checkpoint, writes, position);
    writes = [];
  };
  const perCounty = Math.ceil(shape.counties / shape.prefectures);
  for (let k = 0; k < shape.kindergartens; k++) {
    const countyIndex = k % shape.counties;
    const prefecture = String(1 + Math.floor(countyIndex / perCounty)).padStart(2, '0');
    const div = `${shape.province}${prefecture}${String(1 + (countyIndex % perCounty)).padStart(2, '0')}`;
    const code = `9${shape.province}${String(k).padStart(7, '0')}`; // 10 digits, never a demo kindergarten's
    // 5 M children over 20,000 kindergartens: from ~150 to ~350 each, summing exactly to the total
    const base = Math.floor(shape.children / shape.kindergartens);
    const n = k === shape.kindergartens - 1 ? shape.children - children : base + ((k * 37) % 201) - 100;
    const counters = kindergartenCounters(n, k, shape);
    children += n;
    const unit = `i:${code}`;
    writes.push({ collection: COUNTERS.units, id: unit, doc: { id: unit, parent: unitPlace(unit, div).parent, level: 'institution', counters: tidy(counters) }, position });
    writes.push({ collection: institutions, id: code, doc: { id: code, div, type: 'kindergarten', own: counters['inst:own:public'] ? 'public' : 'private', active: true, children: n }, position });
    units++;
    // the nation's unit (d:000000) holds the demo's counters and moves with its events: left as it is
    for (const above of unitsOf(null, div).filter((u) => unitPlace(u).level !== 'ministry')) {
      const sum = divisions.get(above) ?? {};
      for (const [key, v] of Object.entries(counters)) sum[key] = (sum[key] ?? 0) + v;
      divisions.set(above, sum);
    }
    await flush();
  }
  for (const [unit, counters] of divisions) {
    writes.push({ collection: COUNTERS.units, id: unit, doc: { id: unit, parent: unitPlace(unit).parent, level: unitPlace(unit).level, counters: tidy(counters) }, position });
    units++;
    await flush();
  }
  await flush(true);
  return { units, children };
}

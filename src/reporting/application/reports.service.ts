import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '../../accounts/contracts/index.js';
import { DivisionService, InstitutionDirectory } from '../../organisation/contracts/index.js';
import { invalid, notFound } from '../../shared/domain/domain-error.js';
import { EventRegistry } from '../../shared/events/event-registry.js';
import { EVENT_STORE, type EventStore } from '../../shared/event-store/event-store.port.js';
import { READ_STORE, type ReadStore, findAll } from '../../shared/read-store/read-store.port.js';
import { ProjectionManager } from '../../shared/projections/projection-manager.js';
import { beijingDate } from '../../shared/time/beijing.js';
import { CLOCK, type Clock } from '../../shared/time/clock.js';
import { type SnapshotEvent, type SnapshotUnit, addMonths, isMonth, snapshotStream } from '../domain/snapshot.decider.js';
import { type Counters, NATION, differences, divisionUnit, unitPlace } from '../domain/units.js';
import { withinDivision } from '../../shared/access/jurisdiction.js';
import { COUNTERS, type UnitDoc, countersProjection } from '../projections/counters.projection.js';
import { ReportCache, readAt } from './report-cache.js';
import { type Figures, type UnitReport, figuresOf, flatten } from './figures.js';
import { authoriseUnit, ownUnit } from './report-access.js';
import { correctedCounters, replayCounters } from './replay.js';

export type { UnitFigures, UnitReport } from './figures.js';

export type Kept = SnapshotEvent['data'];

/** A kept month in memory, its units indexed by id and by parent (drill-down) once. */
interface KeptMonth {
  data: Kept;
  byUnit: Map<string, SnapshotUnit>;
  byParent: Map<string, SnapshotUnit[]>;
}

/**
 * The reports of issue 17 (item 4): today's figures from the live counters, a month's figures
 * from its kept snapshot, a month against the previous month and the same month a year before,
 * a month recomputed from the log, and a month as corrected since. Each read is one document
 * (live) or one stored event (a month, kept in memory once read: a snapshot never changes).
 */
@Injectable()
export class ReportsService {
  private readonly months = new Map<string, KeptMonth>();
  private readonly answers: ReportCache;

  constructor(
    @Inject(READ_STORE) private readonly reads: ReadStore,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly registry: EventRegistry,
    private readonly directory: InstitutionDirectory,
    private readonly divisions: DivisionService,
    private readonly projections: ProjectionManager,
  ) {
    this.answers = new ReportCache(() => Date.now());
  }

  /**
   * Today's figures of a unit and its parts. Computed once per counters position (and Beijing
   * day) and served from memory until the counters move (ReportCache); authorised on every read.
   */
  async live(principal: Principal, unit = ownUnit(principal)): Promise<UnitReport> {
    const now = this.clock.now();
    // the position first: documents read after it are at least as new, never older than the key says
    const source = `${this.projections.runner(countersProjection.name).position}|${beijingDate(now)}`;
    const cached = this.answers.get(`live|${unit}`, source);
    if (cached) {
      authoriseUnit(principal, unit, parentDivision(unit, cached.parent));
      return readAt(cached.report, now.toISOString());
    }
    const doc = await this.reads.get<UnitDoc>(COUNTERS.units, unit);
    authoriseUnit(principal, unit, parentDivision(unit, doc?.parent));
    const parts = unit.startsWith('i:') ? [] : (await findAll<UnitDoc>(this.reads, COUNTERS.units, { parent: unit })).map((d) => ({ unit: d.id, counters: d.counters }));
    const report = await this.report(unit, doc?.parent ?? unitPlace(unit).parent, doc?.counters ?? {}, parts, now.toISOString());
    this.answers.set(`live|${unit}`, source, doc?.parent ?? null, report);
    return report;
  }

  /** The kept snapshot of a month (404 while it is not taken). */
  async kept(month: string): Promise<Kept> {
    return (await this.keptMonth(month)).data;
  }

  private async keptMonth(month: string): Promise<KeptMonth> {
    if (!isMonth(month)) throw invalid([{ field: 'month', code: 'month-format', message: '月份格式应为 YYYY-MM，例如 2026-11' }]);
    const cached = this.months.get(month);
    if (cached) return cached;
    const [event] = await this.events.readStream(snapshotStream(month), { maxCount: 1 });
    if (!event) throw notFound('snapshot-not-found', `${month} 的月度快照尚未生成（每月最后一天 0 点生成）`);
    const data = this.registry.upcast(event).data as Kept;
    const byParent = new Map<string, SnapshotUnit[]>();
    for (const u of data.units) if (u.parent) byParent.set(u.parent, [...(byParent.get(u.parent) ?? []), u]);
    const kept = { data, byUnit: new Map(data.units.map((u) => [u.unit, u])), byParent };
    this.months.set(month, kept);
    return kept;
  }

  /** A month's figures of a unit and its parts: computed once (a snapshot never changes; names within the TTL). */
  async month(principal: Principal, month: string, unit = ownUnit(principal)): Promise<UnitReport> {
    const kept = await this.keptMonth(month);
    const own = kept.byUnit.get(unit);
    authoriseUnit(principal, unit, parentDivision(unit, own?.parent));
    const cached = this.answers.get(`month|${unit}`, month);
    if (cached) return cached.report;
    const parts = (kept.byParent.get(unit) ?? []).map((u) => ({ unit: u.unit, counters: u.counters }));
    const report = await this.report(unit, own?.parent ?? unitPlace(unit).parent, own?.counters ?? {}, parts, kept.data.cutoffAt);
    this.answers.set(`month|${unit}`, month, own?.parent ?? null, report);
    return report;
  }

  /** A month against the month before and the same month a year before (either may be missing: null). */
  async comparison(principal: Principal, month: string, unit = ownUnit(principal)) {
    const current = await this.month(principal, month, unit);
    const other = async (m: string) => {
      const kept = await this.kept(m).catch(() => null);
      if (!kept) return null;
      const found = kept.units.find((u) => u.unit === unit);
      return { month: m, figures: figuresOf(found?.counters ?? {}, kept.cutoffAt) };
    };
    const previous = await other(addMonths(month, -1));
    const lastYear = await other(addMonths(month, -12));
    const change = (against: { figures: Figures } | null) => (against ? numberChanges(against.figures, current.figures) : null);
    return { unit, name: current.name, month, figures: current.figures, previousMonth: previous, sameMonthLastYear: lastYear, changeFromPreviousMonth: change(previous), changeFromLastYear: change(lastYear) };
  }

  /** The month recomputed from the log up to its cut-off, with whether it equals the kept snapshot (it must). */
  async recomputed(principal: Principal, month: string, unit = ownUnit(principal)) {
    const kept = await this.kept(month);
    const keptUnit = kept.units.find((u) => u.unit === unit);
    authoriseUnit(principal, unit, parentDivision(unit, keptUnit?.parent));
    const tables = await replayCounters(this.events, this.registry, kept.cutoffPosition);
    const counters = tables.counters();
    const units = Object.keys(counters).filter((u) => u === unit || kept.units.some((k) => k.unit === u));
    const unequal = units.concat(kept.units.map((k) => k.unit)).filter((u) => differences(kept.units.find((k) => k.unit === u)?.counters ?? {}, counters[u] ?? {}).length > 0);
    return { unit, month, cutoffPosition: kept.cutoffPosition, figures: figuresOf(counters[unit] ?? {}, kept.cutoffAt), equalsKept: unequal.length === 0, unitsCompared: new Set(units.concat(kept.units.map((k) => k.unit))).size };
  }

  /** The month as kept beside the month as corrected since, with the differences of the unit and of each part. */
  async corrected(principal: Principal, month: string, unit = ownUnit(principal)) {
    const kept = await this.kept(month);
    const keptUnit = kept.units.find((u) => u.unit === unit);
    authoriseUnit(principal, unit, parentDivision(unit, keptUnit?.parent));
    const { tables, applied } = await correctedCounters(this.events, this.registry, month, kept.cutoffPosition);
    const corrected = tables.counters();
    const keptFigures = figuresOf(keptUnit?.counters ?? {}, kept.cutoffAt);
    const correctedFigures = figuresOf(corrected[unit] ?? {}, kept.cutoffAt);
    const names = await this.names([unit]);
    return { unit, name: names.get(unit) ?? unit, month, cutoffAt: kept.cutoffAt, correctionsApplied: applied, kept: keptFigures, corrected: correctedFigures, differences: figureDifferences(keptFigures, correctedFigures) };
  }

  /**
   * The unit and every unit below it (the office's whole jurisdiction), live or as kept in a
   * month, for the summary export: each with its name, level and figures.
   */
  async unitsWithin(principal: Principal, unit: string, month: string | null): Promise<UnitReport[]> {
    const source = month ? await this.kept(month) : null;
    const all = source ? source.units : (await findAll<UnitDoc>(this.reads, COUNTERS.units, {})).map((d) => ({ unit: d.id, parent: d.parent, counters: d.counters }));
    const own = all.find((u) => u.unit === unit);
    authoriseUnit(principal, unit, parentDivision(unit, own?.parent));
    const at = source ? source.cutoffAt : this.clock.now().toISOString();
    const scope = unit.slice(2);
    const inside = all.filter((u) => u.unit === unit || (!unit.startsWith('i:') && withinDivision(u.unit.startsWith('i:') ? (u.parent ?? 'x').slice(2) : u.unit.slice(2), scope) && u.unit !== divisionUnit(NATION)));
    const names = await this.names(inside.map((u) => u.unit));
    // top down: divisions by code, each institution after its county's divisions
    const rank = (u: SnapshotUnit) => `${u.unit.startsWith('i:') ? (u.parent ?? '') + '~' : u.unit}|${u.unit}`;
    return inside.sort((a, b) => (rank(a) < rank(b) ? -1 : 1)).map((u) => ({ unit: u.unit, level: unitPlace(u.unit).level, name: names.get(u.unit) ?? u.unit, parent: u.parent, figures: figuresOf(u.counters, at), parts: [] }));
  }

  private async report(unit: string, parent: string | null, counters: Counters, parts: Array<{ unit: string; counters: Counters }>, at: string): Promise<UnitReport> {
    const names = await this.names([unit, ...parts.map((p) => p.unit)]);
    const sorted = [...parts].sort((a, b) => (a.unit < b.unit ? -1 : 1));
    return {
      unit, level: unitPlace(unit).level, name: names.get(unit) ?? unit, parent, figures: figuresOf(counters, at),
      parts: sorted.map((p) => ({ unit: p.unit, level: unitPlace(p.unit).level, name: names.get(p.unit) ?? p.unit, figures: figuresOf(p.counters, at) })),
    };
  }

  /** Names of units: divisions from the division tree, institutions from the directory. */
  async names(units: readonly string[]): Promise<Map<string, string>> {
    const tree = await this.divisions.tree();
    const institutions = await this.directory.names(units.filter((u) => u.startsWith('i:')).map((u) => u.slice(2)));
    return new Map(units.map((u) => {
      const code = u.slice(2);
      if (u.startsWith('i:')) return [u, institutions.get(code) ?? code];
      return [u, code === NATION ? '全国' : (tree.get(code)?.name ?? code)];
    }));
  }
}

/** An institution unit's county, from its parent unit. */
const parentDivision = (unit: string, parent: string | null | undefined): string | null => (unit.startsWith('i:') && parent ? parent.slice(2) : null);

/** Every figure that changed from `before` to `after`, by path. */
export function numberChanges(before: Figures, after: Figures): Array<{ path: string; before: number; after: number; change: number }> {
  const a = flatten(before);
  const b = flatten(after);
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].sort().filter((k) => (a[k] ?? 0) !== (b[k] ?? 0)).map((path) => ({ path, before: a[path] ?? 0, after: b[path] ?? 0, change: (b[path] ?? 0) - (a[path] ?? 0) }));
}

export const figureDifferences = (kept: Figures, corrected: Figures) => numberChanges(kept, corrected).map(({ path, before, after, change }) => ({ path, kept: before, corrected: after, difference: change }));

import type { UnitReport } from './figures.js';

/** How long a computed answer is served for the same counters: the names (a renamed institution) follow within it. */
export const REPORT_TTL_MS = 1000;
/** Answers kept at most (units are bounded, but a query may name any code within the caller's reach). */
export const REPORT_CACHE_ENTRIES = 5000;

interface Entry {
  /** what the answer was computed from: the counters' log position (live) or the month (kept, never changes) */
  source: string;
  /** the unit's parent as the counters had it: the caller is authorised on it before the answer is served */
  parent: string | null;
  computedAt: number;
  report: UnitReport;
}

/**
 * The report answers already computed (issue 17's read bench: ~0.25 ms of request CPU per read):
 * a unit's report with its drill-down parts, its figures and names, per unit and source (the live
 * counters at one log position, or one kept month), so 50 clients reading a county do not each
 * load the documents, build the figures and look up the names. A new position (the counters
 * moved), another Beijing day (the figures' month and school year) or the TTL (names) computes
 * again. The caller is authorised on every request, cached or not.
 */
export class ReportCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly now: () => number) {}

  get(key: string, source: string): Entry | null {
    const entry = this.entries.get(key);
    if (!entry || entry.source !== source || this.now() - entry.computedAt >= REPORT_TTL_MS) return null;
    return entry;
  }

  set(key: string, source: string, parent: string | null, report: UnitReport): void {
    this.entries.delete(key);
    // Map order is insertion order: the oldest entry goes first
    if (this.entries.size >= REPORT_CACHE_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { source, parent, computedAt: this.now(), report });
  }
}

/** The answer with the moment it is read (live): the figures are the same as long as the counters have not moved. */
export function readAt(report: UnitReport, at: string): UnitReport {
  return { ...report, figures: { ...report.figures, at }, parts: report.parts.map((p) => ({ ...p, figures: { ...p.figures, at } })) };
}

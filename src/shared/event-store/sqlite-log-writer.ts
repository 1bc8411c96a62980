import Database from 'better-sqlite3';
import type { Database as Db, Statement } from 'better-sqlite3';
import { type AppendResult, type ExpectedRevision, type StreamAppend, revisionMatches } from './event-store.port.js';
import { CHAIN_START, type ChainedRow, chainLink } from './event-chain.js';

/** One stream's append as it crosses to the writer: the events' JSON already written out. */
export interface WireAppend {
  streamId: string;
  expected: ExpectedRevision;
  events: Array<{ type: string; data: string; metadata: string }>;
}

/** One item of a group: one stream, or several written together or not at all. */
export type WireItem = readonly WireAppend[];

/** What became of one item: its streams' results, or the stream whose revision did not match. */
export type WireOutcome = { ok: AppendResult[] } | { wrong: { streamId: string; expected: ExpectedRevision; actual: number } };

/** streams written per slice of a big group when the writer shares the event loop (see writeGroup) */
const SLICE = 1000;

export function toWire(appends: readonly StreamAppend[]): WireItem {
  return appends.map((a) => ({
    streamId: a.streamId,
    expected: a.expected,
    events: a.events.map((e) => ({ type: e.type, data: JSON.stringify(e.data), metadata: JSON.stringify(e.metadata) })),
  }));
}

/**
 * The writing side of the embedded log (one SQLite file in WAL mode, synchronous=FULL): a
 * group of appends in one transaction, each checked against its expected revision inside it,
 * each event linked into the hash chain (ADR 23). The same code runs in the event store's
 * writer thread (ADR 31) or, without a built worker script, on the caller's thread.
 */
export class SqliteLogWriter {
  private readonly db: Db;
  private readonly insert: Statement;
  private readonly selectTail: Statement;
  private readonly lastRevision: Statement;
  /** the last position and chain link while a group is written */
  private tail = { position: 0, chain: CHAIN_START };

  constructor(file: string) {
    this.db = SqliteLogWriter.open(file);
    this.insert = this.db.prepare(
      'INSERT INTO events (position, stream_id, revision, type, data, metadata, recorded_at, chain) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.selectTail = this.db.prepare('SELECT position, chain FROM events ORDER BY position DESC LIMIT 1');
    this.lastRevision = this.db.prepare('SELECT revision FROM events WHERE stream_id = ? ORDER BY revision DESC LIMIT 1').pluck();
  }

  /** Creates the log (and chains a log written before the chain) so readers can open it; returns the connection. */
  static open(file: string): Db {
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
    // a big import grows the WAL past its usual size; once checkpointed, give the space back
    db.pragma('journal_size_limit = 67108864');
    db.exec(`
      CREATE TABLE IF NOT EXISTS events (
        position    INTEGER PRIMARY KEY,
        stream_id   TEXT    NOT NULL,
        revision    INTEGER NOT NULL,
        type        TEXT    NOT NULL,
        data        TEXT    NOT NULL,
        metadata    TEXT    NOT NULL,
        recorded_at TEXT    NOT NULL,
        chain       TEXT
      );
      CREATE UNIQUE INDEX IF NOT EXISTS events_by_stream ON events (stream_id, revision);
    `);
    chainExisting(db);
    return db;
  }

  /** Takes the write lock and reads the chain's end inside it: whoever wrote last (another process too), the chain goes on from there. */
  begin(): void {
    this.db.exec('BEGIN IMMEDIATE');
    const last = this.selectTail.get() as { position: number; chain: string } | undefined;
    this.tail = last ? { position: last.position, chain: last.chain } : { position: 0, chain: CHAIN_START };
  }

  commit(): void {
    this.db.exec('COMMIT');
  }

  /** Nothing of the open group is stored. */
  rollBack(): void {
    try {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
    } catch {
      // SQLite rolled back itself (an I/O error); the appends fail with the error that caused it
    }
  }

  /** A whole group in one transaction; throws (having rolled back) on anything but a revision mismatch. */
  writeAll(items: readonly WireItem[], recordedAt: string): WireOutcome[] {
    try {
      this.begin();
      const steps = this.writeGroup(items, recordedAt);
      let step = steps.next();
      while (!step.done) step = steps.next();
      this.commit();
      return step.value;
    } catch (error) {
      this.rollBack();
      throw error;
    }
  }

  /**
   * The group's appends in the open transaction, pausing after every SLICE streams (so a caller
   * sharing the event loop can serve requests meanwhile). An item of several streams runs in a
   * savepoint: a revision that does not match undoes it alone. Any other failure throws.
   */
  *writeGroup(items: readonly WireItem[], recordedAt: string): Generator<void, WireOutcome[]> {
    const outcomes: WireOutcome[] = [];
    let sinceSlice = 0;
    for (const item of items) {
      const several = item.length > 1;
      const tailBefore = this.tail;
      if (several) this.db.exec('SAVEPOINT append_many');
      let outcome: WireOutcome = { ok: [] };
      for (const append of item) {
        const result = this.write(append, recordedAt);
        if ('wrong' in result) {
          outcome = result;
          break;
        }
        outcome.ok.push(result);
        if (++sinceSlice >= SLICE) {
          sinceSlice = 0;
          yield;
        }
      }
      if (several) {
        if ('wrong' in outcome) {
          this.db.exec('ROLLBACK TO append_many');
          this.tail = tailBefore;
        }
        this.db.exec('RELEASE append_many');
      }
      outcomes.push(outcome);
    }
    return outcomes;
  }

  /** One stream's events at the next revisions; a revision that does not match writes nothing. */
  private write(item: WireAppend, recordedAt: string): AppendResult | Extract<WireOutcome, { wrong: unknown }> {
    // a new stream needs no lookup: the unique (stream, revision) index refuses revision 0 twice
    const current = item.expected === 'no_stream' ? -1 : ((this.lastRevision.get(item.streamId) as number | undefined) ?? -1);
    if (!revisionMatches(item.expected, current)) return { wrong: { streamId: item.streamId, expected: item.expected, actual: current } };
    let revision = current;
    let position = 0;
    for (const event of item.events) {
      revision++;
      const row = { position: this.tail.position + 1, stream_id: item.streamId, revision, type: event.type, data: event.data, metadata: event.metadata, recorded_at: recordedAt };
      const chain = chainLink(this.tail.chain, row);
      try {
        this.insert.run(row.position, row.stream_id, row.revision, row.type, row.data, row.metadata, row.recorded_at, chain);
      } catch (error) {
        if (item.expected !== 'no_stream' || revision !== 0 || (error as { code?: string }).code !== 'SQLITE_CONSTRAINT_UNIQUE') throw error;
        return { wrong: { streamId: item.streamId, expected: item.expected, actual: this.lastRevision.get(item.streamId) as number } };
      }
      this.tail = { position: row.position, chain };
      position = row.position;
    }
    return { revision, position };
  }

  close(): void {
    this.db.close();
  }
}

type ChainedRowWithLink = ChainedRow & { chain: string | null };

/**
 * Migration of a log written before the chain (ADR 23): adds the column and links every event
 * without a link, in log order, once. Only the last event is looked at on a chained log.
 */
function chainExisting(db: Db): void {
  const columns = (db.prepare('PRAGMA table_info(events)').all() as Array<{ name: string }>).map((c) => c.name);
  if (!columns.includes('chain')) db.exec('ALTER TABLE events ADD COLUMN chain TEXT');
  const last = db.prepare('SELECT chain FROM events ORDER BY position DESC LIMIT 1').get() as { chain: string | null } | undefined;
  if (!last || last.chain !== null) return;
  const update = db.prepare('UPDATE events SET chain = ? WHERE position = ?');
  db.transaction(() => {
    let previous = CHAIN_START;
    const rows = db.prepare('SELECT position, stream_id, revision, type, data, metadata, recorded_at, chain FROM events ORDER BY position').all() as Array<ChainedRowWithLink>;
    for (const row of rows) {
      const link = row.chain ?? chainLink(previous, row);
      if (row.chain === null) update.run(link, row.position);
      previous = link;
    }
  }).immediate();
}

/** To the writer thread: a group to write, or the end. */
export type ToLogWriter = { type: 'write'; id: number; items: readonly WireItem[]; recordedAt: string } | { type: 'close' };

/** From the writer thread: a group's outcomes once committed, or why none of it was stored. */
export type FromLogWriter = { id: number; outcomes: WireOutcome[] } | { id: number; error: { name: string; message: string; code?: string } };

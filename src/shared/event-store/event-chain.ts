import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';

/** The stored columns of one event that its link covers: everything a reader gets back. */
export interface ChainedRow {
  position: number;
  stream_id: string;
  revision: number;
  type: string;
  data: string;
  metadata: string;
  recorded_at: string;
}

/** The hash before the first event. */
export const CHAIN_START = '0'.repeat(64);

/**
 * One link of the embedded log's hash chain (tamper evidence, ADR 23): SM3 over the previous
 * link and the event's stored bytes, so editing, deleting or reordering a stored event breaks
 * every later link. JSON framing keeps fields from running into each other.
 */
export function chainLink(previous: string, row: ChainedRow): string {
  return createHash('sm3')
    .update(JSON.stringify([previous, row.position, row.stream_id, row.revision, row.type, row.data, row.metadata, row.recorded_at]))
    .digest('hex');
}

export interface ChainReport {
  /** events checked */
  checked: number;
  /** the last link: note it somewhere else (a signed report, another system) to detect a cut-off tail */
  head: string;
  /** the first event whose link does not match, null when the chain is whole */
  broken: { position: number; streamId: string; revision: number; type: string } | null;
}

/** Walks the log of an events.sqlite file from the first event; stops at the first broken link. */
export function verifyEventChain(file: string): ChainReport {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    let previous = CHAIN_START;
    let checked = 0;
    const rows = db.prepare('SELECT position, stream_id, revision, type, data, metadata, recorded_at, chain FROM events ORDER BY position').iterate() as IterableIterator<ChainedRow & { chain: string | null }>;
    for (const row of rows) {
      const link = chainLink(previous, row);
      if (row.chain !== link) {
        return { checked, head: previous, broken: { position: row.position, streamId: row.stream_id, revision: row.revision, type: row.type } };
      }
      previous = link;
      checked++;
    }
    return { checked, head: previous, broken: null };
  } finally {
    db.close();
  }
}

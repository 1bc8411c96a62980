import { Inject, Injectable } from '@nestjs/common';
import { unavailable } from '../../shared/domain/domain-error.js';
import { EVENT_STORE, READ_STORE } from '../../shared/infrastructure/tokens.js';
import type { EventStore } from '../../shared/event-store/event-store.port.js';
import { ProjectionManager } from '../../shared/projections/projection-manager.js';
import { physicalCollection } from '../../shared/projections/projection-definition.js';
import { type Filter, type ReadStore, findAll } from '../../shared/read-store/read-store.port.js';
import { recordsProjection } from '../projections/records.projection.js';

export const RECORDS = physicalCollection(recordsProjection, 'records');
const CATCH_UP_MS = 5000;

export interface PresentRecord {
  recordId: string;
  status: string;
  name: string;
}

/** The records read model as the command side needs it: current, not eventually current. */
@Injectable()
export class RecordReads {
  constructor(
    private readonly projections: ProjectionManager,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_STORE) private readonly reads: ReadStore,
  ) {}

  /** The log position after every write so far (what a follow-up read waits for). */
  head(): Promise<number> {
    return this.events.headPosition();
  }

  /** Waits until the records read model has every event stored so far (a decision is taken on it). */
  async caughtUp(): Promise<void> {
    const head = await this.events.headPosition();
    if (!(await this.projections.waitFor(head, CATCH_UP_MS, [recordsProjection.name]))) {
      throw unavailable('projection-lagging', '系统正在处理大量数据，请稍后重试');
    }
  }

  /** Live records of the institution holding any of these presence keys (same child entered before). */
  async present(institutionCode: string, keys: string[]): Promise<Map<string, PresentRecord>> {
    const found = new Map<string, PresentRecord>();
    for (let i = 0; i < keys.length; i += 500) {
      // by key alone (the selective index); an institution holds tens of thousands of records
      for (const doc of await findAll(this.reads, RECORDS, { presenceKey: { $in: keys.slice(i, i + 500) } })) {
        if (doc['institutionCode'] === institutionCode) found.set(String(doc['presenceKey']), { recordId: doc.id, status: String(doc['status']), name: String(doc['name']) });
      }
    }
    return found;
  }

  /** Every record id matching the filter (e.g. all saved records of an institution). */
  async allIds(filter: Filter): Promise<string[]> {
    return (await findAll(this.reads, RECORDS, filter, { storedForm: true })).map((d) => d.id);
  }
}

import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../../config/app-config.js';
import { covers } from '../../shared/access/jurisdiction.js';
import type { MachineClient } from '../../shared/access/machine-clients.js';
import { invalid } from '../../shared/domain/domain-error.js';
import { type EventStore, type RecordedEvent } from '../../shared/event-store/event-store.port.js';
import { APP_CONFIG, EVENT_STORE, READ_STORE } from '../../shared/infrastructure/tokens.js';
import { physicalCollection } from '../../shared/projections/projection-definition.js';
import { ProjectionManager } from '../../shared/projections/projection-manager.js';
import type { Doc, ReadStore } from '../../shared/read-store/read-store.port.js';
import { type FeedEntry, feedEntry } from '../domain/feed-entry.js';
import { FEED_EVENT_TYPES } from '../domain/feed-kinds.js';
import { feedEntitiesProjection } from '../projections/feed-entities.projection.js';
import { personalDataShown } from '../../shared/personal-data/read-audit.js';

const RECORDS = physicalCollection(feedEntitiesProjection, 'records');
const INSTITUTIONS = physicalCollection(feedEntitiesProjection, 'institutions');
/** events read per step, and steps per page: a page of a client that sees few changes still ends, with a cursor to go on */
const SCAN_BATCH = 2000;
const SCAN_STEPS = 25;
const MIN_SCAN = 200;

export interface FeedPage {
  entries: FeedEntry[];
  /** resume after this (the last entry's cursor, or further when events the client does not see were passed) */
  next: string;
  /** true when the page reached what the feed holds so far (wait, or follow the live tail) */
  caughtUp: boolean;
}

/** A cursor is a log position, as text; anything else is refused. */
export function parseCursor(value: string | undefined, field = 'after'): number {
  if (value === undefined || value === '') return 0;
  if (!/^(0|[1-9][0-9]{0,15})$/.test(value)) throw invalid([{ field, code: 'invalid-cursor', message: '游标应为上一页返回的 next 或条目的 cursor', value }]);
  return Number(value);
}

/**
 * The feed: the log read forward by position, each event the feed carries turned into an entry
 * the client may see (its jurisdiction, its profile). Entries show the entity as the
 * feed-entities projection holds it, so the feed never passes that projection's position: an
 * entry is never older than the log it stands for, and a cursor resumes exactly after it.
 */
@Injectable()
export class FeedService {
  private readonly source: string;

  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_STORE) private readonly reads: ReadStore,
    private readonly projections: ProjectionManager,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.source = `/preschool/${config.deploymentDivision}`;
  }

  /** How far the feed reaches now: the entity projection's position. */
  ceiling(): number {
    return this.projections.runner(feedEntitiesProjection.name).position;
  }

  /** Resolves once the feed may hold more than `after` (or after the timeout). */
  async waitBeyond(after: number, timeoutMs: number): Promise<void> {
    await this.projections.waitFor(after + 1, timeoutMs, [feedEntitiesProjection.name]);
  }

  async page(client: MachineClient, after: number, limit: number): Promise<FeedPage> {
    const ceiling = this.ceiling();
    const entries: FeedEntry[] = [];
    let cursor = after;
    for (let step = 0; step < SCAN_STEPS && cursor < ceiling && entries.length < limit; step++) {
      // no more than the page still needs when every event is the client's, more when few are (a county in a province)
      const maxCount = Math.min(SCAN_BATCH, Math.max(MIN_SCAN, (limit - entries.length) * (step + 1)));
      const batch = (await this.events.readAll({ after: cursor, maxCount, types: FEED_EVENT_TYPES })).filter((e) => e.position <= ceiling);
      if (batch.length === 0) break;
      const entities = await this.entitiesOf(batch);
      for (const event of batch) {
        cursor = event.position;
        const entity = entities.get(entityKey(event));
        if (entity && covers({ ...client, institutionCode: null }, { divisionCode: String(entity['divisionCode']) })) {
          const entry = feedEntry({ eventId: event.metadata.eventId, type: event.type, position: event.position, occurredAt: event.metadata.occurredAt, data: event.data }, entity, client.profile, this.source);
          if (entry) entries.push(entry);
          // a personal-profile client reads the child's data unmasked: the read audit records it (issue 21)
          if (entry && client.profile === 'personal' && entry.data.entity === 'record') personalDataShown([{ recordId: entry.data.id, institutionCode: String(entity['institutionCode']), divisionCode: String(entity['divisionCode']) }]);
          if (entries.length >= limit) break;
        }
      }
    }
    return { entries, next: String(cursor), caughtUp: cursor >= ceiling };
  }

  /** The entity document of each feed event of the batch, by entityKey (one registry batch stream names many institutions). */
  private async entitiesOf(batch: RecordedEvent[]): Promise<Map<string, Doc>> {
    const records = new Set<string>();
    const institutions = new Set<string>();
    for (const e of batch) {
      if (!FEED_EVENT_TYPES.includes(e.type)) continue;
      if (isInstitutionEvent(e)) institutions.add(String(e.data['code']));
      else records.add(String(e.data['recordId']));
    }
    const [r, i] = await Promise.all([this.reads.getMany(RECORDS, [...records]), this.reads.getMany(INSTITUTIONS, [...institutions])]);
    const out = new Map<string, Doc>();
    for (const [id, d] of r) out.set(`r:${id}`, d);
    for (const [id, d] of i) out.set(`i:${id}`, d);
    return out;
  }
}

const isInstitutionEvent = (e: RecordedEvent): boolean => e.type.startsWith('Institution');
const entityKey = (e: RecordedEvent): string => (isInstitutionEvent(e) ? `i:${String(e.data['code'])}` : `r:${String(e.data['recordId'])}`);

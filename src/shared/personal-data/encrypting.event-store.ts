import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type {
  AppendResult, EventStore, ExpectedRevision, NewEvent, ReadAllOptions, ReadStreamOptions, RecordedEvent, StreamAppend,
} from '../event-store/event-store.port.js';
import type { PersonalData } from './personal-data.js';
import { type PersonalShape, shapeFromSchema } from './personal-shape.js';

/** Personal shapes of the stored event types, by `Type.vN`, read from the x-personal markers of event-schemas/. */
export function eventShapes(schemaDirs: readonly string[]): Map<string, PersonalShape> {
  const shapes = new Map<string, PersonalShape>();
  for (const dir of schemaDirs) {
    for (const context of safeList(dir)) {
      for (const file of safeList(join(dir, context))) {
        const match = /^(.+)\.v(\d+)\.json$/.exec(file);
        if (!match) continue;
        const shape = shapeFromSchema(JSON.parse(readFileSync(join(dir, context, file), 'utf8')) as object);
        if (shape) shapes.set(`${match[1]}.v${match[2]}`, shape);
      }
    }
  }
  return shapes;
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/**
 * Encryption at rest around any event store (ADR 23): on append, the personal fields an event's
 * schema marks are sealed with the child's data key; on read, every sealed value is opened
 * (a shredded child's as ERASED). The adapter below stores and chains only sealed bytes;
 * validation and upcasting above it see plaintext.
 */
export class EncryptingEventStore implements EventStore {
  readonly kind: string;
  readonly atomicMultiStream: boolean;
  private readonly personalTypes: Set<string>;

  constructor(
    readonly inner: EventStore,
    private readonly shapes: ReadonlyMap<string, PersonalShape>,
    private readonly pd: PersonalData,
  ) {
    this.kind = inner.kind;
    this.atomicMultiStream = inner.atomicMultiStream;
    this.personalTypes = new Set([...shapes.keys()].map((k) => k.slice(0, k.lastIndexOf('.v'))));
    if (inner.appendedElsewhere) this.appendedElsewhere = (head) => inner.appendedElsewhere!(head);
  }

  appendedElsewhere?: (head: number) => void;

  async append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    return this.inner.append(streamId, await this.sealAll(events), expected);
  }

  async appendMany(appends: readonly StreamAppend[]): Promise<AppendResult[]> {
    const sealed = await Promise.all(appends.map(async (a) => ({ ...a, events: await this.sealAll(a.events) })));
    return this.inner.appendMany(sealed);
  }

  private async sealAll(events: readonly NewEvent[]): Promise<NewEvent[]> {
    this.pd.refresh();
    return Promise.all(
      events.map(async (event) => {
        const shape = this.shapes.get(`${event.type}.v${event.metadata.schemaVersion}`);
        return shape ? { ...event, data: await this.pd.seal(event.data, shape) } : event;
      }),
    );
  }

  async readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    return this.openAll(await this.inner.readStream(streamId, options));
  }

  async readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    return this.openAll(await this.inner.readAll(options));
  }

  private openAll(events: RecordedEvent[]): RecordedEvent[] {
    if (!events.some((e) => this.personalTypes.has(e.type))) return events;
    // skeletons (types the reader skips) have no data and schema version 0: nothing to open
    const shapeOf = (e: RecordedEvent) => (this.personalTypes.has(e.type) ? this.shapes.get(`${e.type}.v${e.metadata.schemaVersion}`) : undefined);
    const datas = this.pd.openMany(events.map((e) => e.data), (_, i) => shapeOf(events[i]!), { lazily: true });
    return events.map((e, i) => (datas[i] === e.data ? e : { ...e, data: datas[i]! }));
  }

  headPosition(): Promise<number> {
    return this.inner.headPosition();
  }

  waitForAppend(after: number, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    return this.inner.waitForAppend(after, timeoutMs, signal);
  }

  ping(): Promise<void> {
    return this.inner.ping();
  }

  async close(): Promise<void> {
    await this.inner.close();
    this.pd.release();
  }
}

import {
  type Checkpoint, type CollectionDefinition, type Doc, type DocWrite, type FieldCondition, type Filter, type FindOptions, InvalidQueryError,
  type Page, type PersonalCollection, type ReadStore,
} from '../read-store/read-store.port.js';
import type { PersonalData } from './personal-data.js';
import type { PersonalShape } from './personal-shape.js';

/** How one collection is sealed: its indexed personal fields become keyed hashes, the rest is sealed in place. */
interface Plan {
  /** indexed personal fields: stored as hash, the sealed value kept in `_pd` */
  hashed: Set<string>;
  /** hashed prefixes: field → longest prefix (characters) */
  prefix: Map<string, number>;
  /** the other personal fields (and nested ones), sealed where they are */
  sealed: PersonalShape;
}

const SHADOW = '_pd';
const prefixField = (field: string, length: number): string => `${field}_p${length}`;

/**
 * Encryption at rest around any read store (ADR 23), driven by each collection's `personal`
 * declaration: projections write plaintext and get plaintext back; the adapter below holds
 * sealed values and, for indexed fields, keyed hashes (HMAC-SM3), which equality filters,
 * `$in` and short `$prefix` filters are translated to. Only what a read returns is opened.
 */
export class EncryptingReadStore implements ReadStore {
  readonly kind: string;
  private readonly plans = new Map<string, Plan>();

  constructor(
    readonly inner: ReadStore,
    private readonly pd: PersonalData,
  ) {
    this.kind = inner.kind;
  }

  async ensureCollection(name: string, definition: CollectionDefinition): Promise<void> {
    const personal = definition.personal;
    // a collection declared once keeps its plan when ensured again without it
    if (!personal) return this.inner.ensureCollection(name, definition);
    const plan = planOf(personal, definition.indexes);
    this.plans.set(name, plan);
    // the prefix indexes come with the field's own index (a rebuild creates indexes last)
    const extra = [...plan.prefix].filter(([field]) => definition.indexes.includes(field)).flatMap(([field, n]) => Array.from({ length: n }, (_, i) => prefixField(field, i + 1)));
    const { personal: _, ...rest } = definition;
    return this.inner.ensureCollection(name, { ...rest, indexes: [...definition.indexes, ...extra] });
  }

  dropCollection(name: string): Promise<void> {
    return this.inner.dropCollection(name);
  }

  async get<T extends Doc = Doc>(collection: string, id: string): Promise<(T & { _pos: number }) | null> {
    const doc = await this.inner.get<T>(collection, id);
    return doc && this.opened(collection, doc);
  }

  async getMany<T extends Doc = Doc>(collection: string, ids: string[]): Promise<Map<string, T & { _pos: number }>> {
    const docs = await this.inner.getMany<T>(collection, ids);
    if (!this.plans.has(collection)) return docs;
    const opened = this.openedMany(collection, [...docs.values()]);
    return new Map([...docs.keys()].map((id, i) => [id, opened[i]!]));
  }

  async getStates(collection: string, ids: string[]): Promise<Map<string, { doc: Doc | null; pos: number }>> {
    const states = await this.inner.getStates(collection, ids);
    if (!this.plans.has(collection)) return states;
    const present = [...states.values()].flatMap((s) => (s.doc ? [s.doc] : []));
    const openedDocs = this.openedMany(collection, present);
    const opened = new Map(present.map((doc, i) => [doc, openedDocs[i]!] as const));
    return new Map([...states].map(([id, s]) => [id, { doc: s.doc && opened.get(s.doc)!, pos: s.pos }]));
  }

  async find<T extends Doc = Doc>(collection: string, filter: Filter, options?: FindOptions): Promise<Page<T>> {
    const page = await this.inner.find<T>(collection, this.filter(collection, filter), options);
    const plan = this.plans.get(collection);
    if (!plan) return page;
    // nothing opened, nothing sealed handed out: only the keyed hashes, for equality matching
    if (options?.storedForm) return { ...page, items: page.items.map((doc) => storedOnly(plan, doc)) };
    return { ...page, items: this.openedMany(collection, page.items) };
  }

  storedForm(collection: string, field: string, value: string): string {
    return this.plans.get(collection)?.hashed.has(field) ? this.pd.hash(`search:${field}`, value) : value;
  }

  /**
   * The inner store's version; for a personal collection with the data keys' generation beside it:
   * a destroyed key makes the documents read as erased without any write to them.
   */
  async collectionVersion(collection: string): Promise<string | null> {
    const version = (await this.inner.collectionVersion?.(collection)) ?? null;
    if (version === null || !this.plans.has(collection)) return version;
    return `${version}/k${this.pd.keyGeneration()}`;
  }

  count(collection: string, filter: Filter): Promise<number> {
    return this.inner.count(collection, this.filter(collection, filter));
  }

  async applyBatch(projection: string, writes: DocWrite[], checkpoint: number): Promise<void> {
    this.pd.refresh();
    const sealed = await Promise.all(writes.map((w) => (w.doc && this.plans.has(w.collection) ? this.sealDoc(w.collection, w.doc).then((doc) => ({ ...w, doc })) : w)));
    return this.inner.applyBatch(projection, sealed, checkpoint);
  }

  getCheckpoint(projection: string): Promise<number | null> {
    return this.inner.getCheckpoint(projection);
  }

  listCheckpoints(): Promise<Checkpoint[]> {
    return this.inner.listCheckpoints();
  }

  deleteCheckpoint(projection: string): Promise<void> {
    return this.inner.deleteCheckpoint(projection);
  }

  ping(): Promise<void> {
    return this.inner.ping();
  }

  async close(): Promise<void> {
    await this.inner.close();
    this.pd.release();
  }

  private async sealDoc(collection: string, doc: Doc): Promise<Doc> {
    const plan = this.plans.get(collection)!;
    // the hashed fields are sealed into the shadow object first, by the same subject
    const shadow: Record<string, unknown> = {};
    const out: Record<string, unknown> = { ...doc };
    for (const field of plan.hashed) {
      const value = doc[field];
      if (typeof value !== 'string') continue;
      shadow[field] = value;
      out[field] = this.pd.hash(`search:${field}`, value);
      const n = plan.prefix.get(field) ?? 0;
      const chars = [...value];
      for (let i = 1; i <= n; i++) out[prefixField(field, i)] = i <= chars.length ? this.pd.hash(`search-prefix:${field}`, chars.slice(0, i).join('')) : null;
    }
    out[SHADOW] = shadow;
    return (await this.pd.seal(out, plan.sealed)) as Doc;
  }

  private opened<T extends Doc>(collection: string, doc: T): T {
    return this.openedMany(collection, [doc])[0]!;
  }

  /** The documents with their sealed values opened (one key lookup for the batch) and the hashes taken off. */
  private openedMany<T extends Doc>(collection: string, docs: readonly T[]): T[] {
    const plan = this.plans.get(collection);
    if (!plan || docs.length === 0) return [...docs];
    return this.pd.openMany(docs, () => plan.sealed).map((doc) => {
      const { [SHADOW]: shadow, ...rest } = doc as Record<string, unknown>;
      dropPrefixHashes(plan, rest);
      return { ...rest, ...(shadow as Record<string, unknown> | undefined) } as T;
    });
  }

  private filter(collection: string, filter: Filter): Filter {
    const plan = this.plans.get(collection);
    if (!plan || !Object.keys(filter).some((f) => plan.hashed.has(f))) return filter;
    const out: Filter = {};
    for (const [field, condition] of Object.entries(filter)) {
      if (!plan.hashed.has(field)) out[field] = condition;
      else Object.assign(out, this.hashedCondition(plan, field, condition));
    }
    return out;
  }

  private hashedCondition(plan: Plan, field: string, condition: FieldCondition): Filter {
    const hash = (v: unknown) => (typeof v === 'string' ? this.pd.hash(`search:${field}`, v) : (v as null));
    if (condition === null || typeof condition !== 'object') return { [field]: hash(condition) };
    if ('$in' in condition) return { [field]: { $in: condition.$in.map(hash) } };
    if ('$prefix' in condition) {
      const chars = [...condition.$prefix];
      const n = plan.prefix.get(field) ?? 0;
      // longer than the hashed prefixes: only whole values can be matched (ADR 23)
      if (chars.length > n || chars.length === 0) return { [field]: hash(condition.$prefix) };
      return { [prefixField(field, chars.length)]: this.pd.hash(`search-prefix:${field}`, condition.$prefix) };
    }
    throw new InvalidQueryError(`field ${field} is personal data: only equality, $in and short $prefix filters work on it`);
  }
}

/** The prefix hashes are the store's own search aid: no answer carries them. */
function dropPrefixHashes(plan: Plan, doc: Record<string, unknown>): void {
  for (const [field, n] of plan.prefix) for (let i = 1; i <= n; i++) delete doc[prefixField(field, i)];
}

/** A stored document without its sealed values: the keyed hashes and the plain fields. */
function storedOnly<T extends Doc>(plan: Plan, doc: T): T {
  const out: Record<string, unknown> = { ...doc };
  delete out[SHADOW];
  dropPrefixHashes(plan, out);
  for (const field of plan.sealed.fields ?? []) delete out[field];
  for (const field of Object.keys(plan.sealed.nested ?? {})) delete out[field];
  return out as T;
}

function planOf(personal: PersonalCollection, indexes: readonly string[]): Plan {
  const hashed = new Set(personal.search ?? []);
  for (const field of hashed) if (!personal.fields?.includes(field)) throw new InvalidQueryError(`search field ${field} is not one of the personal fields`);
  // an index over ciphertext finds nothing: an indexed personal field must be searched by hash
  for (const field of personal.fields ?? []) if (indexes.includes(field) && !hashed.has(field)) throw new InvalidQueryError(`indexed personal field ${field} must be in search`);
  const prefix = new Map(Object.entries(personal.prefix ?? {}).filter(([f]) => hashed.has(f)));
  // the shadow object holds the hashed fields' plaintext, sealed by the document's subject
  const sealed: PersonalShape = {
    subject: personal.subject ?? [],
    fields: (personal.fields ?? []).filter((f) => !hashed.has(f)),
    nested: { ...(personal.nested ?? {}), ...(hashed.size ? { [SHADOW]: { fields: [...hashed] } } : {}) },
  };
  return { hashed, prefix, sealed };
}

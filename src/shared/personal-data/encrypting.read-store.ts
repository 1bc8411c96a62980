import {
  type Checkpoint, type CollectionDefinition, type Doc, type DocWrite, type FieldCondition, type Filter, type FindOptions, InvalidQueryError,
  type Page, type PersonalCollection, type ReadStore,
} from '../read-store/read-store.port.js';
import { BoundedCache } from '../caching/bounded-cache.js';
import { ERASED, sealedSubject } from './field-cipher.js';
import type { PersonalData } from './personal-data.js';
import { type PersonalShape, subjectOf } from './personal-shape.js';

/**
 * How one collection is sealed: its top-level personal values go into one sealed value per
 * document (`_pd`), its indexed ones are kept beside it as keyed hashes, nested ones are sealed
 * where they are.
 */
interface Plan {
  /** the top-level personal fields (their string and array values are sealed together in `_pd`) */
  top: Set<string>;
  /** indexed personal fields: stored as hash, the value itself in `_pd` */
  hashed: Set<string>;
  /** hashed prefixes: field → longest prefix (characters) */
  prefix: Map<string, number>;
  /** the prefix hashes' own fields (name_p1, ...) */
  prefixFields: Set<string>;
  /** what is sealed on writing: `_pd` by the document's subject, and the nested shapes */
  seal: PersonalShape;
  /** the nested shapes alone, for a document whose one sealed value is written back as it was read */
  nestedOnly: PersonalShape | null;
  /** what is opened on reading: the above, and the older layout (a value sealed per field, ADR 32) */
  open: PersonalShape;
}

const SHADOW = '_pd';

/**
 * What a document read by a projection held, by its id: its personal values, their one sealed
 * value and their keyed hashes as stored. Writing the document back (a status move keeps the
 * child's data) reuses them instead of hashing and sealing again: the projection worker's and a
 * rebuild's main crypto cost (ADR 32). Only facts about values (the same value, key and subject
 * give the same stored form may be reused), so a stale entry is never wrong, only unused; dropped
 * whenever a data key may have been destroyed.
 */
interface StoredForms {
  json: string;
  sealed: string;
  values: Record<string, unknown>;
  hashes: Record<string, unknown>;
}
/** a projection batch's documents (a batch touches at most a few thousand) */
const STORED_FORMS = 20_000;
/** opened `_pd` values kept in memory only, like PersonalData's opened values (ADR 23, "Cost") */
const OPENED_SHADOWS = 20_000;

/** a document with its sealed values opened: the values of its `_pd`, and their JSON as sealed */
interface OpenedDoc {
  doc: Record<string, unknown>;
  values: Record<string, unknown> | null;
  json: string | null;
}
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
  private readonly storedForms = new BoundedCache<string, StoredForms>(STORED_FORMS);
  private readonly openedShadows = new BoundedCache<string, { values: Record<string, unknown>; json: string }>(OPENED_SHADOWS);
  /** the data keys' generation the two caches above were filled under */
  private cachesGeneration = -1;

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

  /** A projection's read before it writes: what each document held sealed and hashed is kept for writing it back (`StoredForms`). */
  async getStates(collection: string, ids: string[]): Promise<Map<string, { doc: Doc | null; pos: number }>> {
    const states = await this.inner.getStates(collection, ids);
    const plan = this.plans.get(collection);
    if (!plan) return states;
    const present = [...states.values()].flatMap((s) => (s.doc ? [s.doc] : []));
    const openedDocs = this.openDocs(plan, present);
    const opened = new Map<Doc, Doc>();
    for (const [i, stored] of present.entries()) {
      const { doc, values, json } = openedDocs[i]!;
      opened.set(stored, plainDoc(plan, doc, values));
      const sealed = stored[SHADOW];
      // the older layout has no one sealed value to write back: its documents are sealed anew
      if (values === null || json === null || typeof sealed !== 'string') continue;
      const hashes: Record<string, unknown> = {};
      for (const field of plan.hashed) hashes[field] = stored[field];
      for (const field of plan.prefixFields) hashes[field] = stored[field];
      this.storedForms.set(formsKey(collection, stored.id), { json, sealed, values, hashes });
    }
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
    return this.plans.get(collection)?.hashed.has(field) ? this.pd.searchToken(`search:${field}`, value) : value;
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
    // a batch without personal documents (counters, audit) needs no look at the keys
    if (!writes.some((w) => w.doc && this.plans.has(w.collection))) return this.inner.applyBatch(projection, writes, checkpoint);
    this.checkGeneration();
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

  /**
   * The document as stored: the top-level personal values sealed together as one JSON value by
   * the document's subject (one tag and one keystream per document instead of one per field:
   * ADR 32), the searchable ones beside it as keyed hashes, nested shapes sealed in place.
   */
  private async sealDoc(collection: string, doc: Doc): Promise<Doc> {
    const plan = this.plans.get(collection)!;
    const out: Record<string, unknown> = {};
    let personal: Record<string, unknown> | null = null;
    for (const field in doc) {
      const value = doc[field];
      if (!plan.top.has(field)) out[field] = value;
      // null and other non-text values are no one's personal data: they stay as they are, findable
      else if (typeof value === 'string' || Array.isArray(value)) (personal ??= {})[field] = value;
      else out[field] = value;
    }
    const json = personal && JSON.stringify(personal);
    const known = this.storedForms.get(formsKey(collection, doc.id));
    for (const field of plan.hashed) {
      const value = personal?.[field];
      if (typeof value !== 'string') continue;
      if (known !== undefined && known.values[field] === value && hashesKnown(plan, field, known.hashes)) {
        // the same value as read: its hashes as they are stored
        out[field] = known.hashes[field];
        for (let i = 1; i <= (plan.prefix.get(field) ?? 0); i++) out[prefixField(field, i)] = known.hashes[prefixField(field, i)];
        continue;
      }
      out[field] = this.pd.searchToken(`search:${field}`, value);
      const n = plan.prefix.get(field) ?? 0;
      if (n === 0) continue;
      const chars = [...value];
      for (let i = 1; i <= n; i++) out[prefixField(field, i)] = i <= chars.length ? this.pd.searchToken(`search-prefix:${field}`, chars.slice(0, i).join('')) : null;
    }
    if (json !== null && known !== undefined && known.json === json && sealedSubject(known.sealed) === subjectOf(doc, plan.seal)) {
      // the same personal values as read: the same sealed value (same key and subject), nothing sealed again
      out[SHADOW] = known.sealed;
      return (plan.nestedOnly ? await this.pd.seal(out, plan.nestedOnly) : out) as Doc;
    }
    if (json !== null) out[SHADOW] = json;
    const stored = (await this.pd.seal(out, plan.seal)) as Doc;
    // what was just sealed need not be opened when it is read back (the next batch's getStates, a page)
    const sealed = stored[SHADOW];
    if (personal !== null && json !== null && plan.nestedOnly === null && typeof sealed === 'string' && sealed !== ERASED) {
      this.openedShadows.set(sealed, { values: copiedValues(personal), json });
    }
    return stored;
  }

  /** A data key may have been destroyed: nothing read sealed with it is answered or written back from memory. */
  private checkGeneration(): void {
    const generation = this.pd.keyGeneration();
    if (generation === this.cachesGeneration) return;
    this.cachesGeneration = generation;
    this.storedForms.clear();
    this.openedShadows.clear();
  }

  private opened<T extends Doc>(collection: string, doc: T): T {
    return this.openedMany(collection, [doc])[0]!;
  }

  /** The documents with their sealed values opened (one key lookup for the batch) and the hashes taken off. */
  private openedMany<T extends Doc>(collection: string, docs: readonly T[]): T[] {
    const plan = this.plans.get(collection);
    if (!plan || docs.length === 0) return [...docs];
    return this.openDocs(plan, docs).map(({ doc, values }) => plainDoc<T>(plan, doc, values));
  }

  /**
   * Each document with its sealed values opened, and the values of its `_pd`. A `_pd` opened
   * before is not opened or parsed again (`openedShadows`, by its sealed form, while no data key
   * may have been destroyed): the review queue's pages are the same hot documents read over and over.
   */
  private openDocs(plan: Plan, docs: readonly Doc[]): OpenedDoc[] {
    if (docs.length === 0) return [];
    this.checkGeneration();
    const out: OpenedDoc[] = new Array(docs.length);
    const cold: number[] = [];
    // with nested shapes a document has more sealed values than its `_pd`: those go the whole way
    const whole = plan.nestedOnly === null;
    for (const [i, doc] of docs.entries()) {
      const sealed = doc[SHADOW];
      const known = whole && typeof sealed === 'string' ? this.openedShadows.get(sealed) : undefined;
      if (known !== undefined) out[i] = { doc, values: known.values, json: known.json };
      else cold.push(i);
    }
    if (cold.length === 0) return out;
    // the keys' generation was checked above, with nothing asynchronous since
    const opened = this.pd.openMany(cold.map((i) => docs[i]!), () => plan.open, { refreshed: true });
    for (const [k, i] of cold.entries()) {
      const doc = opened[k]!;
      const values = shadowValues(doc);
      const shadow = doc[SHADOW];
      const json = typeof shadow === 'string' && shadow !== ERASED ? shadow : null;
      out[i] = { doc, values, json };
      const sealed = docs[i]![SHADOW];
      if (whole && values !== null && json !== null && typeof sealed === 'string') this.openedShadows.set(sealed, { values, json });
    }
    return out;
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
    const hash = (v: unknown) => (typeof v === 'string' ? this.pd.searchToken(`search:${field}`, v) : (v as null));
    if (condition === null || typeof condition !== 'object') return { [field]: hash(condition) };
    if ('$in' in condition) return { [field]: { $in: condition.$in.map(hash) } };
    if ('$prefix' in condition) {
      const chars = [...condition.$prefix];
      const n = plan.prefix.get(field) ?? 0;
      // longer than the hashed prefixes: only whole values can be matched (ADR 23)
      if (chars.length > n || chars.length === 0) return { [field]: hash(condition.$prefix) };
      return { [prefixField(field, chars.length)]: this.pd.searchToken(`search-prefix:${field}`, condition.$prefix) };
    }
    throw new InvalidQueryError(`field ${field} is personal data: only equality, $in and short $prefix filters work on it`);
  }
}

/**
 * An opened document as the projection wrote it: the personal values out of `_pd` (a sealed JSON
 * object, or in the older layout an object of values sealed one by one), no keyed hashes. Built
 * in one pass: rest-destructuring and deleting keys made this the review queue's most costly line.
 */
function plainDoc<T extends Doc>(plan: Plan, doc: Record<string, unknown>, values: Record<string, unknown> | null): T {
  const out: Record<string, unknown> = {};
  for (const field in doc) {
    if (field === SHADOW || plan.prefixFields.has(field)) continue;
    out[field] = values !== null && Object.hasOwn(values, field) ? copied(values[field]) : doc[field];
  }
  if (values !== null) for (const field in values) if (!Object.hasOwn(out, field)) out[field] = copied(values[field]);
  // a destroyed key (crypto-shredding) sealed the document's values as ERASED: every personal field reads so
  if (doc[SHADOW] === ERASED) for (const field of plan.top) if (out[field] !== null) out[field] = ERASED;
  return out as T;
}

/** the values kept for later reads: not the arrays of the document being written */
function copiedValues(values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field in values) out[field] = copied(values[field]);
  return out;
}

/** an opened array is the caller's own (the opened values are shared by later reads) */
const copied = (value: unknown): unknown => (Array.isArray(value) ? [...value] : value);

/** The personal values of an opened document's `_pd`: a JSON object, or in the older layout an object of values. */
function shadowValues(doc: Record<string, unknown>): Record<string, unknown> | null {
  const shadow = doc[SHADOW];
  if (typeof shadow === 'string') return shadow === ERASED ? null : (JSON.parse(shadow) as Record<string, unknown>);
  return (shadow as Record<string, unknown> | undefined) ?? null;
}

/** every stored hash of the field (its prefixes too) is at hand */
function hashesKnown(plan: Plan, field: string, hashes: Record<string, unknown>): boolean {
  if (typeof hashes[field] !== 'string') return false;
  for (let i = 1; i <= (plan.prefix.get(field) ?? 0); i++) if (hashes[prefixField(field, i)] === undefined) return false;
  return true;
}

const formsKey = (collection: string, id: string): string => `${collection}\u0000${id}`;

/** The prefix hashes are the store's own search aid: no answer carries them. */
function dropPrefixHashes(plan: Plan, doc: Record<string, unknown>): void {
  for (const field of plan.prefixFields) delete doc[field];
}

/** A stored document without its sealed values: the keyed hashes and the plain fields. */
function storedOnly<T extends Doc>(plan: Plan, doc: T): T {
  const out: Record<string, unknown> = { ...doc };
  delete out[SHADOW];
  dropPrefixHashes(plan, out);
  for (const field of plan.open.fields ?? []) delete out[field];
  for (const field of Object.keys(plan.open.nested ?? {})) delete out[field];
  return out as T;
}

function planOf(personal: PersonalCollection, indexes: readonly string[]): Plan {
  const hashed = new Set(personal.search ?? []);
  for (const field of hashed) if (!personal.fields?.includes(field)) throw new InvalidQueryError(`search field ${field} is not one of the personal fields`);
  // an index over ciphertext finds nothing: an indexed personal field must be searched by hash
  for (const field of personal.fields ?? []) if (indexes.includes(field) && !hashed.has(field)) throw new InvalidQueryError(`indexed personal field ${field} must be in search`);
  const prefix = new Map(Object.entries(personal.prefix ?? {}).filter(([f]) => hashed.has(f)));
  const top = new Set(personal.fields ?? []);
  const subject = personal.subject ?? [];
  const nested = personal.nested ?? {};
  const prefixFields = new Set([...prefix].flatMap(([field, n]) => Array.from({ length: n }, (_, i) => prefixField(field, i + 1))));
  return {
    top,
    hashed,
    prefix,
    prefixFields,
    seal: { subject, fields: top.size ? [SHADOW] : [], nested },
    nestedOnly: Object.keys(nested).length ? { subject, nested } : null,
    // documents written before ADR 32: each non-searched field sealed in place, the searched ones in an object `_pd`
    open: {
      subject,
      fields: [...[...top].filter((f) => !hashed.has(f)), ...(top.size ? [SHADOW] : [])],
      nested: { ...nested, ...(hashed.size ? { [SHADOW]: { fields: [...hashed] } } : {}) },
    },
  };
}

import { SEALED_PREFIX } from './field-cipher.js';

/**
 * Which fields of a JSON object are a child's personal data, and whose data key seals them. An
 * event type declares it in its JSON schema (`"x-personal": true` on a field, `"x-personal-subject":
 * true` on the field naming the child, usually `recordId`); a read-model collection in its
 * CollectionDefinition. A nested object (or each object of an array) inherits its parent's
 * subject and may add its own fields to it (an import's rows: `batchId/row`), or name a subject
 * where the parent has none (a duplicate case's entries: each entry's `recordId`).
 */
export interface PersonalShape {
  /** fields of this object whose values name the data-key subject */
  subject?: readonly string[];
  /** personal fields of this object: strings, or arrays of strings */
  fields?: readonly string[];
  /** objects (or arrays of objects) holding personal fields of their own */
  nested?: Readonly<Record<string, PersonalShape>>;
}

type Json = Record<string, unknown>;
type SchemaNode = { properties?: Record<string, SchemaNode>; items?: SchemaNode; 'x-personal'?: boolean; 'x-personal-subject'?: boolean };

/** The shape an event schema declares with x-personal markers; null when it has none. */
export function shapeFromSchema(schema: SchemaNode): PersonalShape | null {
  const node = schema.items ?? schema;
  const fields: string[] = [];
  const subject: string[] = [];
  const nested: Record<string, PersonalShape> = {};
  for (const [name, property] of Object.entries(node.properties ?? {})) {
    if (property['x-personal']) fields.push(name);
    if (property['x-personal-subject']) subject.push(name);
    if (property.properties || property.items?.properties) {
      const inner = shapeFromSchema(property);
      if (inner) nested[name] = inner;
    }
  }
  if (fields.length === 0 && Object.keys(nested).length === 0) return null;
  return { ...(subject.length ? { subject } : {}), ...(fields.length ? { fields } : {}), ...(Object.keys(nested).length ? { nested } : {}) };
}

/** The data-key subject of an object: its subject fields' values joined with `/`, under its parent's. */
export function subjectOf(obj: Json, shape: PersonalShape, parent = ''): string {
  if (!shape.subject?.length) return parent;
  const own = shape.subject.map((f) => String(obj[f])).join('/');
  return parent ? `${parent}/${own}` : own;
}

/** Every subject whose key sealing `data` needs. */
export function subjectsOf(data: Json, shape: PersonalShape, parent = '', into = new Set<string>()): Set<string> {
  const subject = subjectOf(data, shape, parent);
  if (shape.fields?.some((f) => data[f] !== null && data[f] !== undefined)) {
    if (!subject) throw new Error(`personal fields ${shape.fields.join(', ')} have no subject: declare x-personal-subject`);
    into.add(subject);
  }
  for (const [name, inner] of Object.entries(shape.nested ?? {})) {
    for (const child of objects(data[name])) subjectsOf(child, inner, subject, into);
  }
  return into;
}

/** A copy of `data` with every personal value replaced by seal(subject, value); other fields are shared, not copied. */
export function sealShape(data: Json, shape: PersonalShape, seal: (subject: string, value: string) => string, parent = ''): Json {
  const subject = subjectOf(data, shape, parent);
  const out: Json = { ...data };
  for (const field of shape.fields ?? []) {
    const value = out[field];
    if (typeof value === 'string') out[field] = seal(subject, value);
    else if (Array.isArray(value)) out[field] = value.map((v) => (typeof v === 'string' ? seal(subject, v) : v));
  }
  for (const [name, inner] of Object.entries(shape.nested ?? {})) {
    const value = out[name];
    if (Array.isArray(value)) out[name] = value.map((v) => (isObject(v) ? sealShape(v, inner, seal, subject) : v));
    else if (isObject(value)) out[name] = sealShape(value, inner, seal, subject);
  }
  return out;
}

/**
 * A copy of `data` with the shape's sealed values opened. Only declared fields are looked at: a
 * free-text field that happens to start like a sealed value is never taken for one.
 */
export function openShape(data: Json, shape: PersonalShape, open: (value: string) => string): Json {
  let out: Json | null = null;
  const set = (k: string, v: unknown) => ((out ??= { ...data })[k] = v);
  for (const field of shape.fields ?? []) {
    const value = data[field];
    if (typeof value === 'string' && value.startsWith(SEALED_PREFIX)) set(field, open(value));
    else if (Array.isArray(value)) set(field, value.map((v) => (typeof v === 'string' && v.startsWith(SEALED_PREFIX) ? open(v) : v)));
  }
  for (const [name, inner] of Object.entries(shape.nested ?? {})) {
    const value = data[name];
    if (Array.isArray(value)) set(name, value.map((v) => (isObject(v) ? openShape(v, inner, open) : v)));
    else if (isObject(value)) set(name, openShape(value, inner, open));
  }
  return out ?? data;
}

function objects(value: unknown): Json[] {
  if (Array.isArray(value)) return value.filter(isObject);
  return isObject(value) ? [value] : [];
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Calls `visit` with every sealed value at the shape's fields of `data` (to look their keys up in one go). */
export function forEachSealed(data: Json, shape: PersonalShape, visit: (sealed: string) => void): void {
  for (const field of shape.fields ?? []) {
    const value = data[field];
    if (typeof value === 'string') {
      if (value.startsWith(SEALED_PREFIX)) visit(value);
    } else if (Array.isArray(value)) {
      for (const v of value) if (typeof v === 'string' && v.startsWith(SEALED_PREFIX)) visit(v);
    }
  }
  for (const [name, inner] of Object.entries(shape.nested ?? {})) for (const child of objects(data[name])) forEachSealed(child, inner, visit);
}

/**
 * Like openShape, but each sealed string field is opened only when it is first read (then it is a
 * plain property): a projection that reads two fields of an event carrying ten pays for two
 * (ADR 23, "Cost"). Spreading, JSON.stringify and structured cloning read every field, so they
 * see plaintext as before; a value failing its check throws where it is read.
 */
export function openShapeLazily(data: Json, shape: PersonalShape, open: (value: string) => string): Json {
  let out: Json | null = null;
  const copy = () => (out ??= { ...data });
  for (const field of shape.fields ?? []) {
    const value = data[field];
    if (typeof value === 'string' && value.startsWith(SEALED_PREFIX)) lazyField(copy(), field, value, open);
    else if (Array.isArray(value)) copy()[field] = value.map((v) => (typeof v === 'string' && v.startsWith(SEALED_PREFIX) ? open(v) : v));
  }
  for (const [name, inner] of Object.entries(shape.nested ?? {})) {
    const value = data[name];
    if (Array.isArray(value)) copy()[name] = value.map((v) => (isObject(v) ? openShapeLazily(v, inner, open) : v));
    else if (isObject(value)) copy()[name] = openShapeLazily(value, inner, open);
  }
  return out ?? data;
}

function lazyField(obj: Json, field: string, sealed: string, open: (value: string) => string): void {
  const settle = (value: unknown) => Object.defineProperty(obj, field, { value, writable: true, enumerable: true, configurable: true });
  Object.defineProperty(obj, field, {
    enumerable: true,
    configurable: true,
    get() {
      const plain = open(sealed);
      settle(plain);
      return plain;
    },
    set: settle,
  });
}

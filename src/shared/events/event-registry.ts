import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import * as ajvFormats from 'ajv-formats';
import type { RecordedEvent } from '../event-store/event-store.port.js';
import type { EventDefinition } from './event-definition.js';

type FormatsPlugin = (ajv: Ajv) => Ajv;
const addFormats = ((ajvFormats as unknown as { default: { default?: FormatsPlugin } & FormatsPlugin }).default.default ??
  (ajvFormats as unknown as { default: FormatsPlugin }).default) as FormatsPlugin;

export class EventSchemaError extends Error {
  constructor(
    message: string,
    readonly type: string,
    readonly problems: string[] = [],
  ) {
    super(message);
    this.name = 'EventSchemaError';
  }
}

/**
 * Knows every stored event type: its context, current schema version, JSON Schema (from
 * event-schemas/<context>/<Type>.v<N>.json) and upcasters. Appends are validated against the
 * schema of the version they are written with; reads upcast old versions to the current one.
 * Registering checks that every schema file is there; a schema is compiled on its first use
 * (compiling all of them took 1-2 s of every start, the projection worker's too, which never
 * validates). The schema spec compiles every one (compileAll).
 */
export class EventRegistry {
  private readonly definitions = new Map<string, EventDefinition>();
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly ajv: Ajv;

  constructor(private readonly schemaDirs: string[] = [defaultSchemaDir()]) {
    this.ajv = new Ajv({ allErrors: true, strict: true });
    addFormats(this.ajv);
    // personal-data markers read by the encryption at rest (ADR 23), not validation rules
    this.ajv.addKeyword({ keyword: 'x-personal', schemaType: 'boolean' });
    this.ajv.addKeyword({ keyword: 'x-personal-subject', schemaType: 'boolean' });
  }

  register(definitions: readonly EventDefinition[]): this {
    for (const def of definitions) {
      const existing = this.definitions.get(def.type);
      if (existing && existing !== def) throw new EventSchemaError(`event type ${def.type} is defined twice`, def.type);
      this.definitions.set(def.type, def);
      for (let v = 1; v <= def.version; v++) {
        // every version an old event may have been stored with needs its schema
        if (v === def.version || def.upcasters?.some((u) => u.from === v)) this.requireSchemaFile(def, v);
      }
    }
    return this;
  }

  /** Compiles the schema of every registered version now (throws on the first invalid one). */
  compileAll(): this {
    for (const def of this.definitions.values()) {
      for (let v = 1; v <= def.version; v++) {
        if (v === def.version || def.upcasters?.some((u) => u.from === v)) this.validator(def, v);
      }
    }
    return this;
  }

  /**
   * Compiles, after the service has started, the schemas not compiled yet, one per turn of the
   * event loop: the first command of each type after a restart then does not pay for its
   * schema's compilation (some ms each) while other requests wait behind it.
   */
  async warmUp(): Promise<number> {
    let compiled = 0;
    for (const def of [...this.definitions.values()]) {
      if (this.validators.has(`${def.type}.v${def.version}`)) continue;
      await new Promise((resolve) => setImmediate(resolve));
      this.validator(def, def.version);
      compiled++;
    }
    return compiled;
  }

  all(): EventDefinition[] {
    return [...this.definitions.values()];
  }

  definition(type: string): EventDefinition {
    const def = this.definitions.get(type);
    if (!def) throw new EventSchemaError(`event type ${type} is not registered`, type);
    return def;
  }

  schemaFile(def: EventDefinition, version: number): string | null {
    for (const dir of this.schemaDirs) {
      const file = join(dir, def.context, `${def.type}.v${version}.json`);
      if (existsSync(file)) return file;
    }
    return null;
  }

  private requireSchemaFile(def: EventDefinition, version: number): string {
    const file = this.schemaFile(def, version);
    if (!file) throw new EventSchemaError(`no schema for ${def.context}/${def.type}.v${version} in ${this.schemaDirs.join(', ')}`, def.type);
    return file;
  }

  private validator(def: EventDefinition, version: number): ValidateFunction {
    const key = `${def.type}.v${version}`;
    let validate = this.validators.get(key);
    if (!validate) {
      const file = this.requireSchemaFile(def, version);
      validate = this.ajv.compile(JSON.parse(readFileSync(file, 'utf8')) as object);
      this.validators.set(key, validate);
    }
    return validate;
  }

  /** Throws EventSchemaError when `data` does not match the schema of that version. */
  validate(type: string, data: unknown, version = this.definition(type).version): void {
    const validate = this.validator(this.definition(type), version);
    if (!validate(data)) {
      const problems = (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`.trim());
      throw new EventSchemaError(`${type}.v${version} does not match its schema: ${problems.join('; ')}`, type, problems);
    }
  }

  /** The event with its data brought to the current schema version (unknown types pass through). */
  upcast<E extends Pick<RecordedEvent, 'type' | 'data' | 'metadata'>>(event: E): E {
    const def = this.definitions.get(event.type);
    if (!def || event.metadata.schemaVersion >= def.version) return event;
    let data = event.data;
    let version = event.metadata.schemaVersion;
    while (version < def.version) {
      const step = def.upcasters?.find((u) => u.from === version);
      if (!step) throw new EventSchemaError(`no upcaster for ${event.type} from v${version}`, event.type);
      data = step.upcast(data);
      version++;
    }
    return { ...event, data, metadata: { ...event.metadata, schemaVersion: version } };
  }
}

/** event-schemas/ at the project root, found from this file in src/ or dist/src/. */
export function defaultSchemaDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'event-schemas')) && existsSync(join(dir, 'package.json'))) return join(dir, 'event-schemas');
    dir = dirname(dir);
  }
  return join(process.cwd(), 'event-schemas');
}

/** Every schema file under a directory, as context/Type.vN. */
export function listSchemaFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) => readdirSync(join(dir, d.name)).filter((f) => f.endsWith('.json')).map((f) => `${d.name}/${f}`));
}

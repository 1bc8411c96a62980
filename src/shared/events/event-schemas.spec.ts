import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { ALL_EVENT_DEFINITIONS } from '../../event-catalog.js';
import { LEDGER_EVENTS } from '../../../test/fixtures/ledger/ledger.decider.js';
import { fixtureSchemaDir } from '../../../test/fixtures/fixture-app.js';
import type { EventDefinition } from './event-definition.js';
import { EventRegistry, EventSchemaError, defaultSchemaDir, listSchemaFiles } from './event-registry.js';

/** The schema gate: every event type the service can emit has a schema and a sample that validates. */
function schemaSuite(label: string, definitions: readonly EventDefinition[], dirs: string[]): void {
  describe(`event schemas: ${label}`, () => {
    const registry = new EventRegistry(dirs);

    it('registers every definition (each needs a schema file for every version it may be stored in, each compiles)', () => {
      expect(() => registry.register(definitions).compileAll()).not.toThrow();
    });

    for (const def of definitions) {
      it(`${def.context}/${def.type}.v${def.version}: the sample validates, legacy samples upcast to a valid current payload`, () => {
        registry.register([def]);
        expect(registry.schemaFile(def, def.version)).not.toBeNull();
        registry.validate(def.type, def.example);
        for (const legacy of def.legacyExamples ?? []) {
          registry.validate(def.type, legacy.data, legacy.version);
          const upcast = registry.upcast({ type: def.type, data: legacy.data, metadata: { schemaVersion: legacy.version } as unknown as import('../event-store/event-store.port.js').EventMetadata });
          expect(upcast.metadata.schemaVersion).toBe(def.version);
          registry.validate(def.type, upcast.data);
        }
      });
    }

    it('has no schema file without a registered event type (orphans hide renamed events)', () => {
      const known = new Set(definitions.flatMap((d) => Array.from({ length: d.version }, (_, i) => `${d.context}/${d.type}.v${i + 1}.json`)));
      for (const dir of dirs) {
        for (const file of listSchemaFiles(dir)) expect(known).toContain(file);
      }
    });
  });
}

schemaSuite('service', ALL_EVENT_DEFINITIONS, [defaultSchemaDir()]);
schemaSuite('ledger test fixture', LEDGER_EVENTS, [fixtureSchemaDir()]);

describe('event registry', () => {
  const registry = new EventRegistry([fixtureSchemaDir()]).register(LEDGER_EVENTS);

  it('refuses an emitted type that has no definition', () => {
    expect(() => registry.definition('SomethingHappened')).toThrow(EventSchemaError);
  });

  it('refuses a payload that breaks its schema, naming the problem', () => {
    expect(() => registry.validate('MoneyDeposited', { accountId: 'a', depositId: 'd', amount: -1, depositedAt: 'yesterday' })).toThrow(
      /amount must be > 0.*depositedAt must match format "date-time"/,
    );
  });

  it('refuses a definition whose schema file is missing', () => {
    const fresh = new EventRegistry([join(fixtureSchemaDir(), 'nowhere')]);
    expect(() => fresh.register([{ context: 'ledger', type: 'AccountClosed', version: 1, example: {} }])).toThrow(/no schema/);
  });

  it('compiles a schema on first use, and compileAll refuses an invalid one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'schemas-'));
    mkdirSync(join(dir, 'ledger'));
    writeFileSync(join(dir, 'ledger', 'AccountClosed.v1.json'), JSON.stringify({ type: 'objekt' }));
    const fresh = new EventRegistry([dir]).register([{ context: 'ledger', type: 'AccountClosed', version: 1, example: {} }]);
    expect(() => fresh.compileAll()).toThrow(/schema is invalid/);
    expect(() => fresh.validate('AccountClosed', {})).toThrow(/schema is invalid/);
    rmSync(dir, { recursive: true, force: true });
  });

  it('warms up after start: compiles the schemas not used yet, each once, between turns of the event loop', async () => {
    const fresh = new EventRegistry([defaultSchemaDir()]).register(ALL_EVENT_DEFINITIONS);
    const [first] = ALL_EVENT_DEFINITIONS;
    fresh.validate(first!.type, first!.example); // compiled on first use
    let turns = 0;
    const ticking = setInterval(() => turns++, 0);
    const compiled = await fresh.warmUp();
    clearInterval(ticking);
    expect(compiled).toBe(ALL_EVENT_DEFINITIONS.length - 1);
    expect(turns).toBeGreaterThan(0);
    expect(await fresh.warmUp()).toBe(0);
  });
});

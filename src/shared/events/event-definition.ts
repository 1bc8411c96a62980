/**
 * What the project knows about one stored event type. Every context lists its definitions
 * (src/<context>/domain/events.ts); the registry checks them against event-schemas/ at start.
 */
export interface Upcaster {
  /** turns data of schema version `from` into version `from + 1` */
  from: number;
  upcast(data: Record<string, unknown>): Record<string, unknown>;
}

export interface EventDefinition {
  context: string;
  type: string;
  /** the schema version new events are written with */
  version: number;
  /** a realistic payload of the current version: validated against the schema by the schema test */
  example: Record<string, unknown>;
  /** older payloads of this type, each with its version: the schema test upcasts and validates them */
  legacyExamples?: Array<{ version: number; data: Record<string, unknown> }>;
  upcasters?: Upcaster[];
}

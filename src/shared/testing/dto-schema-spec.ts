import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from '@jest/globals';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { Ajv } from 'ajv';
import * as ajvFormats from 'ajv-formats';
import { defaultSchemaDir } from '../events/event-registry.js';
import { ProblemException } from '../http/problem.js';
import { createValidationPipe } from '../http/validation.js';

type FormatsPlugin = (ajv: Ajv) => Ajv;
const addFormats = ((ajvFormats as unknown as { default: { default?: FormatsPlugin } & FormatsPlugin }).default.default ??
  (ajvFormats as unknown as { default: FormatsPlugin }).default) as FormatsPlugin;

type Json = Record<string, unknown>;
type Schema = { type?: string | string[]; properties?: Record<string, Schema>; items?: Schema; enum?: unknown[]; minLength?: number; maxLength?: number; pattern?: string; minimum?: number; maximum?: number; exclusiveMinimum?: number; maxItems?: number };

/** The class of a route's `@Body()` parameter, read from Nest's metadata (DTOs need not be exported). */
export function bodyDtoOf(controller: new (...args: never[]) => unknown, method: string): new () => object {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, method) ?? {}) as Record<string, { index: number }>;
  const body = Object.entries(args).find(([key]) => key.split(':')[0] === '3'); // RouteParamtypes.BODY
  if (!body) throw new Error(`${controller.name}.${method} has no @Body()`);
  const types = Reflect.getMetadata('design:paramtypes', controller.prototype as object, method) as Array<new () => object>;
  return types[body[1].index]!;
}

/**
 * "The DTO refuses what the event schema refuses" (issue 20, item 8), checked from the schema:
 * every field of a valid body is replaced, one at a time, by values of every JSON type and by
 * the schema's own boundaries (lengths, ranges, patterns, enums, list sizes). Whatever the
 * validation pipe accepts is mapped to the event's data as the controller maps it (`toEvent`)
 * and must then validate against the event's schema; otherwise the command would fail with a
 * 500 `event-schema-violation` instead of a 400. Where the domain checks fields the DTO lets
 * through (a child's codes), `toEvent` answers null for what the domain refuses (a 400/422).
 */
export async function dtoSchemaSpec<T extends object>(spec: { dto: new () => T; schema: string; valid: Json; toEvent: (dto: T) => Json | null; atPath?: string[] }): Promise<void> {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const full = JSON.parse(readFileSync(join(defaultSchemaDir(), `${spec.schema}.v1.json`), 'utf8')) as Schema;
  const validate = ajv.compile(full);
  const pipe = createValidationPipe();
  const bodySchema = (spec.atPath ?? []).reduce<Schema>((s, key) => s.properties![key]!, full);

  const accepted = async (body: unknown): Promise<T | null> => {
    try {
      return (await pipe.transform(structuredClone(body), { type: 'body', metatype: spec.dto, data: '' })) as T;
    } catch (error) {
      expect(error).toBeInstanceOf(ProblemException);
      expect((error as ProblemException).status).toBe(400);
      return null;
    }
  };

  const validDto = await accepted(spec.valid);
  expect(validDto).not.toBeNull();
  const validEvent = spec.toEvent(validDto!);
  expect(validEvent).not.toBeNull();
  expect({ valid: validate(validEvent), errors: validate.errors ?? [] }).toEqual({ valid: true, errors: [] });

  const slipped: string[] = [];
  for (const [path, schema] of fieldsOf(spec.valid, bodySchema, [])) {
    for (const value of candidates(schema)) {
      const body = withValue(spec.valid, path, value);
      const dto = await accepted(body);
      if (dto === null) continue;
      const event = spec.toEvent(dto);
      if (event !== null && !validate(event)) slipped.push(`${path.join('.')} = ${JSON.stringify(value)?.slice(0, 40)}: ${ajv.errorsText(validate.errors)}`);
    }
  }
  expect(slipped).toEqual([]);
}

/** Every field of the valid body (into objects, and the first item of lists) with its schema. */
function fieldsOf(body: unknown, schema: Schema | undefined, path: string[]): Array<[string[], Schema]> {
  if (schema === undefined || body === null || typeof body !== 'object') return [];
  if (Array.isArray(body)) return body.length > 0 ? [...fieldsOf(body[0], schema.items, [...path, '0'])] : [];
  return Object.entries(body as Json).flatMap(([key, value]) => {
    const own = schema.properties?.[key];
    if (!own) return [];
    return [[[...path, key], own] as [string[], Schema], ...fieldsOf(value, own, [...path, key])];
  });
}

const GENERIC: unknown[] = [undefined, null, '', ' ', '\u3000', 'x', '0', 0, -1, 1.5, 1e308, -1e308, true, [], [[]], ['x'], {}, { x: 1 }];

function candidates(schema: Schema): unknown[] {
  const values = [...GENERIC];
  if (schema.maxLength !== undefined) values.push('x'.repeat(schema.maxLength + 1), '王'.repeat(schema.maxLength + 1), ` ${'x'.repeat(schema.maxLength)} `);
  if (schema.minLength !== undefined && schema.minLength > 0) values.push('x'.repeat(schema.minLength - 1), ' '.repeat(schema.minLength));
  if (schema.pattern !== undefined) values.push('abc', '１２３４５６', '410102\n');
  if (schema.enum !== undefined) values.push('zzz', ...schema.enum.map((v) => (typeof v === 'string' ? v.toUpperCase() : v)));
  if (schema.minimum !== undefined) values.push(schema.minimum - 1, schema.minimum - 0.001);
  if (schema.exclusiveMinimum !== undefined) values.push(schema.exclusiveMinimum);
  if (schema.maximum !== undefined) values.push(schema.maximum + 1, schema.maximum + 0.5);
  if (schema.maxItems !== undefined) values.push(Array.from({ length: schema.maxItems + 1 }, () => ({})));
  return values;
}

function withValue(body: Json, path: string[], value: unknown): Json {
  const copy = structuredClone(body);
  let at: Record<string, unknown> = copy;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string, unknown>;
  const last = path.at(-1)!;
  if (value === undefined) delete at[last];
  else at[last] = value;
  return copy;
}

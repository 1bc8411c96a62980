/**
 * JSON Schemas of the report answers for Fastify's response serialiser (fast-json-stringify): a
 * report read is mostly serialisation once its answer is cached (ADR 26), and a compiled
 * serialiser writes the known shape faster than JSON.stringify. They mirror application/figures.ts
 * and reports.dto.ts (OpenAPI); a field missing here would be dropped from the answer, which the
 * reporting e2e suite compares field by field.
 */
const int = { type: 'integer' } as const;
const str = { type: 'string' } as const;
const object = (properties: Record<string, unknown>) => ({ type: 'object', properties, required: Object.keys(properties), additionalProperties: false });
const buckets = { type: 'array', items: object({ code: str, label: str, count: int }) } as const;

export const FIGURES_SCHEMA = object({
  at: str,
  schoolYear: int,
  institutions: object({ registered: int, counted: int, byType: buckets, byOwnership: buckets, countedByType: buckets, countedByOwnership: buckets }),
  unlicensed: object({ institutions: int, children: int }),
  classes: object({ total: int, byGrade: buckets }),
  children: object({
    total: int, byGrade: buckets, byGender: buckets, byAge: buckets, byEthnicity: buckets,
    leftBehind: int, leftBehindByType: buckets, migrantWorkerChildren: int, disabled: int, disabilityByType: buckets, orphans: int,
  }),
  leftThisMonth: object({ month: str, total: int, byType: buckets }),
  records: object({ numbered: int, awaitingReview: int, byStatus: buckets }),
});

const unitFigures = { unit: str, level: str, name: str, figures: FIGURES_SCHEMA };

export const UNIT_REPORT_SCHEMA = object({ ...unitFigures, parent: { type: ['string', 'null'] }, parts: { type: 'array', items: object(unitFigures) } });

/** The route schema of a unit report (live or a month): only the 200 answer; problems keep their own serialiser. */
export const UNIT_REPORT_ROUTE = { response: { 200: UNIT_REPORT_SCHEMA } };

import 'reflect-metadata';
import { describe, it } from '@jest/globals';
import { bodyDtoOf, dtoSchemaSpec } from '../../shared/testing/dto-schema-spec.js';
import { KEY_FIELDS, type KeyInformation, dedupeKey, normaliseChild, validateChild } from '../domain/child.js';
import { type ChildDto, type KeyChangeDto, toChild } from './record.dto.js';
import { RecordsController } from './records.controller.js';

/**
 * A child's fields are checked in two steps: the DTO (types, lengths, lists of objects) and the
 * domain (codes, dates, ID numbers, with Chinese field errors). Together they accept nothing
 * RecordSaved's schema refuses (issue 20, item 8).
 */
describe('records DTOs against their event schemas', () => {
  const at = '2026-09-01T00:00:00.000Z';
  const valid = {
    name: '王小明', gender: '1', birthDate: '2022-03-15', idType: '1', idNumber: '410102202203150114', nationality: 'CHN', ethnicity: '01',
    householdCode: '410102', address: '郑州市中原区建设路 12 号',
    guardians: [{ name: '王大明', relation: '父亲', idType: '1', idNumber: '11010519491231002X', phone: '13800000000' }],
  };

  for (const method of ['save', 'edit'] as const) {
    it(`${method === 'save' ? 'POST /records' : 'PUT /records/{id}'} -> RecordSaved's child`, async () => {
      await dtoSchemaSpec<ChildDto>({
        dto: bodyDtoOf(RecordsController, method) as new () => ChildDto,
        schema: 'records/RecordSaved',
        atPath: ['child'],
        valid,
        // as the record decider takes it: normalised, then refused with field errors or stored
        toEvent: (body) => {
          const child = normaliseChild(toChild(body));
          if (validateChild(child, at).errors.length > 0) return null;
          return { recordId: '8f14e45f-ceea-467a-9575-2f8d3b1c0a11', institutionCode: '1141010001', divisionCode: '410102', child, overAgeConfirmed: false, importRef: null, savedAt: at };
        },
      });
    });
  }

  it('POST /records/{id}/key-information -> KeyInformationChanged', async () => {
    const stored = normaliseChild(toChild(valid as unknown as ChildDto));
    const pick = (c: KeyInformation) => Object.fromEntries(KEY_FIELDS.map((k) => [k, c[k]]));
    await dtoSchemaSpec<KeyChangeDto>({
      dto: bodyDtoOf(RecordsController, 'changeKey') as new () => KeyChangeDto,
      schema: 'records/KeyInformationChanged',
      atPath: ['after'],
      valid: { name: '王晓明', gender: '1', birthDate: '2022-03-15', idType: '1', idNumber: '410102202203150114', reason: '户口簿姓名更正' },
      // as RecordsController.changeKey and the record decider take it
      toEvent: (body) => {
        const child = normaliseChild({ ...stored, name: body.name, gender: body.gender, birthDate: body.birthDate, idType: body.idType, idNumber: body.idNumber ?? null });
        if (validateChild(child, at).errors.length > 0) return null;
        return { recordId: '8f14e45f-ceea-467a-9575-2f8d3b1c0a11', before: pick(stored), after: pick(child), dedupeKey: dedupeKey(child, '1141010001'), changedAt: at };
      },
    });
  });
});

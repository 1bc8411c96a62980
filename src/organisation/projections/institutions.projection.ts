import { prefectureCodeOf, provinceCodeOf } from '../../shared/access/jurisdiction.js';
import type { ProjectionDefinition } from '../../shared/projections/projection-definition.js';

/**
 * Institutions as the registry last described them: one document per 10-digit code, with the
 * division path for jurisdiction filters. A rename shows here at once; the events keep the old name.
 */
export const institutionsProjection: ProjectionDefinition = {
  name: 'institutions',
  version: 1,
  collections: { institutions: { indexes: ['divisionCode', 'prefectureCode', 'provinceCode', 'status', 'name', 'type'] } },
  handles: ['InstitutionRegistered', 'InstitutionRenamed', 'InstitutionRegistryDetailsChanged', 'InstitutionRevoked', 'InstitutionReinstated'],
  keys: (event) => [{ collection: 'institutions', id: String(event.data['code']) }],
  evolve(_collection, doc, event) {
    const d = event.data;
    switch (event.type) {
      case 'InstitutionRegistered': {
        const divisionCode = String(d['divisionCode']);
        return {
          id: String(d['code']), code: d['code'], name: d['name'], type: d['type'], ownership: d['ownership'], licence: d['licence'] ?? null,
          divisionCode, prefectureCode: prefectureCodeOf(divisionCode), provinceCode: provinceCodeOf(divisionCode),
          status: 'active', formerNames: [], registeredAt: event.recordedAt, updatedAt: event.recordedAt,
        };
      }
      case 'InstitutionRenamed':
        return doc && { ...doc, name: d['to'], formerNames: [...(doc['formerNames'] as string[]), String(d['from'])], updatedAt: event.recordedAt };
      case 'InstitutionRegistryDetailsChanged': {
        const divisionCode = String(d['divisionCode']);
        return doc && {
          ...doc, type: d['type'], ownership: d['ownership'], licence: d['licence'] ?? null, divisionCode,
          prefectureCode: prefectureCodeOf(divisionCode), provinceCode: provinceCodeOf(divisionCode), updatedAt: event.recordedAt,
        };
      }
      case 'InstitutionRevoked':
        return doc && { ...doc, status: 'revoked', updatedAt: event.recordedAt };
      case 'InstitutionReinstated':
        return doc && { ...doc, status: 'active', updatedAt: event.recordedAt };
      default:
        return doc;
    }
  },
};

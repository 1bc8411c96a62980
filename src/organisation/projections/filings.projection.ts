import type { ProjectionDefinition } from '../../shared/projections/projection-definition.js';

/**
 * Institution filings for the county: the latest submitted version (its review queue) and the
 * last approved content (what the county reads), one document per institution.
 */
export const filingsProjection: ProjectionDefinition = {
  name: 'institution-filings',
  version: 1,
  collections: { filings: { indexes: ['divisionCode', 'status', 'submittedAt'] } },
  handles: ['InstitutionFilingSubmitted', 'InstitutionFilingApproved', 'InstitutionFilingRejected'],
  keys: (event) => [{ collection: 'filings', id: String(event.data['code']) }],
  evolve(_collection, doc, event) {
    const d = event.data;
    switch (event.type) {
      case 'InstitutionFilingSubmitted': {
        const { code, divisionCode, version, submittedAt, ...content } = d;
        return {
          ...(doc ?? { approved: null }), id: String(code), code, divisionCode, status: 'submitted', version, submittedAt,
          latest: content, rejectReason: null, decidedAt: null,
        };
      }
      case 'InstitutionFilingApproved':
        return doc && { ...doc, status: 'approved', decidedAt: d['approvedAt'], approved: { version: d['version'], approvedAt: d['approvedAt'], ...(doc['latest'] as object) } };
      case 'InstitutionFilingRejected':
        return doc && { ...doc, status: 'rejected', decidedAt: d['rejectedAt'], rejectReason: event.metadata.reason ?? null };
      default:
        return doc;
    }
  },
};

import type { TypedRecordedEvent } from '../../shared/event-store/event-store.port.js';
import { type DocKey, type ProjectionDefinition, physicalCollection } from '../../shared/projections/projection-definition.js';
import type { Doc } from '../../shared/read-store/read-store.port.js';
import type { CentralAwardEvent } from '../domain/central-award.decider.js';
import type { DeclarationKindEvent } from '../domain/declaration-kind.decider.js';
import type { DeclarationEvent } from '../domain/declaration.decider.js';
import { type FundingProjectEvent, monthOf } from '../domain/funding-project.decider.js';
import type { KindDelegationEvent } from '../domain/kind-delegation.decider.js';
import type { MonthEndEvent } from '../domain/month-end.decider.js';

type Handled = DeclarationKindEvent | KindDelegationEvent | DeclarationEvent | CentralAwardEvent | FundingProjectEvent | MonthEndEvent;
type Event = TypedRecordedEvent<Handled>;

/**
 * Supervision's read models: declaration kinds and delegations, declarations (the county queues:
 * oldest submission first; working days are counted when read, as "today" moves), funding
 * projects with their latest figures, central awards, and which month-ends were kept.
 */
export const supervisionProjection: ProjectionDefinition<Handled> = {
  name: 'supervision',
  version: 1,
  collections: {
    kinds: { indexes: ['ownerDivision', 'status'] },
    delegations: { indexes: ['provinceCode'] },
    declarations: { indexes: ['institutionCode', 'divisionCode', 'status', 'submittedAt'], compound: [['divisionCode', 'status', 'submittedAt'], ['institutionCode', 'submittedAt']] },
    projects: { indexes: ['level', 'divisionCode', 'year', 'updatedMonth', 'enteredAt'] },
    awards: { indexes: ['divisionCode', 'year'] },
    monthEnds: { indexes: ['month'] },
  },
  handles: [
    'DeclarationKindDefined', 'DeclarationKindRetired', 'DeclarationKindsDelegated', 'DeclarationKindDelegationRevoked',
    'ChangeDeclared', 'DeclarationWithdrawn', 'DeclarationResubmitted', 'DeclarationApproved', 'DeclarationRejected', 'DeclarationAcknowledged',
    'CentralAwardFundsEntered', 'FundingProjectEntered', 'FundingProjectReported', 'FundingMonthEndTaken',
  ],
  keys(event): DocKey[] {
    const e = event as Event;
    switch (e.type) {
      case 'DeclarationKindDefined':
      case 'DeclarationKindRetired':
        return [{ collection: 'kinds', id: e.data.kindId }];
      case 'DeclarationKindsDelegated':
      case 'DeclarationKindDelegationRevoked':
        return [{ collection: 'delegations', id: e.data.countyCode }];
      case 'CentralAwardFundsEntered':
        return [{ collection: 'awards', id: `${e.data.provinceCode}-${e.data.year}` }];
      case 'FundingProjectEntered':
      case 'FundingProjectReported':
        return [{ collection: 'projects', id: e.data.projectId }];
      case 'FundingMonthEndTaken':
        return [{ collection: 'monthEnds', id: e.data.month }];
      default:
        return [{ collection: 'declarations', id: e.data.declarationId }];
    }
  },
  evolve(collection, doc, event) {
    const e = event as Event;
    switch (collection) {
      case 'kinds':
        return kindDoc(doc, e);
      case 'delegations':
        return e.type === 'DeclarationKindsDelegated' ? { id: e.data.countyCode, provinceCode: e.data.provinceCode, countyCode: e.data.countyCode, delegatedAt: e.data.delegatedAt } : null;
      case 'awards':
        return awardDoc(doc, e);
      case 'projects':
        return projectDoc(doc, e);
      case 'monthEnds':
        return e.type === 'FundingMonthEndTaken' ? { id: e.data.month, month: e.data.month, dueAt: e.data.dueAt, takenAt: e.data.takenAt, projects: e.data.projects.length } : doc;
      default:
        return declarationDoc(doc, e);
    }
  },
};

function kindDoc(doc: Doc | null, e: Event): Doc | null {
  if (e.type === 'DeclarationKindDefined') {
    const { kindId, definedAt, ...definition } = e.data;
    return { id: kindId, ...definition, status: 'active', definedAt, order: e.position };
  }
  if (doc && e.type === 'DeclarationKindRetired') return { ...doc, status: 'retired', retiredAt: e.data.retiredAt };
  return doc;
}

function awardDoc(doc: Doc | null, e: Event): Doc | null {
  if (e.type !== 'CentralAwardFundsEntered') return doc;
  const { provinceCode, year, amount, enteredAt } = e.data;
  return { id: `${provinceCode}-${year}`, provinceCode, divisionCode: provinceCode, year, amount, enteredAt, entries: Number(doc?.['entries'] ?? 0) + 1 };
}

function projectDoc(doc: Doc | null, e: Event): Doc | null {
  if (e.type === 'FundingProjectEntered') {
    const { projectId, month, enteredAt, ...rest } = e.data;
    return { id: projectId, ...rest, lastMonth: month, enteredAt, lastUpdatedAt: enteredAt, updatedMonth: monthOf(enteredAt), reports: 1 };
  }
  if (!doc || e.type !== 'FundingProjectReported') return doc;
  const { projectId: _p, month, reportedAt, ...figures } = e.data;
  return { ...doc, ...figures, lastMonth: month, lastUpdatedAt: reportedAt, updatedMonth: monthOf(reportedAt), reports: Number(doc['reports']) + 1 };
}

function declarationDoc(doc: Doc | null, e: Event): Doc | null {
  const reason = e.metadata.reason ?? null;
  if (e.type === 'ChangeDeclared') {
    const { declarationId, kindId, kindName, handling, institutionCode, divisionCode, fields, attachments, declaredAt } = e.data;
    return { id: declarationId, kindId, kindName, handling, institutionCode, divisionCode, fields, attachments, reason, status: 'pending', declaredAt, submittedAt: declaredAt, submissions: 1, handledAt: null, handlingNote: null };
  }
  if (!doc) return null;
  switch (e.type) {
    case 'DeclarationResubmitted':
      return { ...doc, fields: e.data.fields, attachments: e.data.attachments, reason, status: 'pending', submittedAt: e.data.resubmittedAt, submissions: Number(doc['submissions']) + 1, handledAt: null, handlingNote: null };
    case 'DeclarationWithdrawn':
      return { ...doc, status: 'withdrawn', handledAt: e.data.withdrawnAt, handlingNote: reason };
    case 'DeclarationApproved':
      return { ...doc, status: 'approved', handledAt: e.data.approvedAt, handlingNote: reason };
    case 'DeclarationRejected':
      return { ...doc, status: 'rejected', handledAt: e.data.rejectedAt, handlingNote: reason };
    case 'DeclarationAcknowledged':
      return { ...doc, status: 'acknowledged', handledAt: e.data.acknowledgedAt, handlingNote: reason };
    default:
      return doc;
  }
}

export const KINDS = physicalCollection(supervisionProjection, 'kinds');
export const DELEGATIONS = physicalCollection(supervisionProjection, 'delegations');
export const DECLARATIONS = physicalCollection(supervisionProjection, 'declarations');
export const PROJECTS = physicalCollection(supervisionProjection, 'projects');
export const AWARDS = physicalCollection(supervisionProjection, 'awards');
export const MONTH_ENDS = physicalCollection(supervisionProjection, 'monthEnds');

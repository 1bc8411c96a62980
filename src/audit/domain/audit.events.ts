import type { EventDefinition } from '../../shared/events/event-definition.js';

/** The audit context's stored events, each with a realistic sample the schema test validates. */
export const AUDIT_EVENTS: EventDefinition[] = [
  {
    context: 'audit', type: 'PersonalDataRead', version: 1,
    example: {
      readId: '0f5c2a8e-3b4d-4e6f-8a9b-1c2d3e4f5a6b',
      reader: { accountId: '5b1b0e4e-2f59-4f3c-8d0c-0c7e0d8e9a11', role: 'review', organisationId: '1141010001' },
      route: 'GET /api/v1/records/:id',
      clientAddress: '203.0.113.7',
      subjects: [{ recordId: '6a1f0c1e-7b2d-4c3e-9f10-a2b3c4d5e6f7', institutionCode: '1141010001', divisionCode: '410102' }],
      readAt: '2026-09-05T02:00:00.000Z',
    },
  },
];

import type { EventDefinition } from '../../shared/events/event-definition.js';

const at = '2026-08-20T02:00:00.000Z';
export const SETTINGS_EVENTS: EventDefinition[] = [
  { context: 'settings', type: 'FeatureSwitched', version: 1, example: { provinceCode: '410000', business: 'record-transfer', enabled: false, at } },
  { context: 'settings', type: 'BusinessWindowSet', version: 1, example: { provinceCode: '410000', business: 'record-registration', opensAt: '2026-08-31T16:00:00.000Z', closesAt: '2026-10-15T16:00:00.000Z', at } },
  { context: 'settings', type: 'BusinessWindowCleared', version: 1, example: { provinceCode: '410000', business: 'record-registration', at } },
];

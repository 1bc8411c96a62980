import { ACCOUNT_EVENTS } from './accounts/domain/account.events.js';
import { INSTITUTION_EVENTS } from './organisation/domain/institution.events.js';
import { DUPLICATE_CASE_EVENTS } from './records/domain/duplicate-case.events.js';
import { RECORD_EVENTS } from './records/domain/record.events.js';
import { SETTINGS_EVENTS } from './settings/domain/settings.events.js';
import type { EventDefinition } from './shared/events/event-definition.js';

/**
 * Every stored event type of the service, by context. A context adds its list here when it
 * lands; the schema test checks each against event-schemas/.
 */
export const EVENT_CATALOG: Record<string, readonly EventDefinition[]> = {
  accounts: ACCOUNT_EVENTS,
  organisation: INSTITUTION_EVENTS,
  settings: SETTINGS_EVENTS,
  records: [...RECORD_EVENTS, ...DUPLICATE_CASE_EVENTS],
};

export const ALL_EVENT_DEFINITIONS: readonly EventDefinition[] = Object.values(EVENT_CATALOG).flat();

import type { EventDefinition } from '../../shared/events/event-definition.js';

const at = '2026-09-01T08:00:00.000Z';
const hash = 'scrypt$32768$8$1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g';
const sessionId = '0b6f3f5e-8a47-4c35-9a53-2f1f4c1f9a10';

/** Stored event types of the accounts context, with a realistic example each (checked by the schema test). */
export const ACCOUNT_EVENTS: EventDefinition[] = [
  {
    context: 'accounts', type: 'AccountCreated', version: 1,
    example: {
      accountId: '5b1b0e4e-2f59-4f3c-8d0c-0c7e0d8e9a11', username: '1141010001-review', realName: '李老师', level: 'institution', role: 'review',
      divisionCode: '410102', institutionCode: '1141010001', passwordHash: hash, createdAt: at,
    },
  },
  { context: 'accounts', type: 'LoginSucceeded', version: 1, example: { sessionId, tokenHash: 'a'.repeat(64), startedAt: at, expiresAt: '2026-09-01T16:00:00.000Z', mustChangePassword: true } },
  { context: 'accounts', type: 'LoginFailed', version: 1, example: { at, failedAttempts: 2 } },
  { context: 'accounts', type: 'LoginRefused', version: 1, example: { at, cause: 'session-live' } },
  { context: 'accounts', type: 'AccountLocked', version: 1, example: { at, lockedUntil: '2026-09-01T08:30:00.000Z' } },
  { context: 'accounts', type: 'SessionEnded', version: 1, example: { sessionId, at, cause: 'kicked' } },
  { context: 'accounts', type: 'PasswordChanged', version: 1, example: { passwordHash: hash, changedAt: at } },
  { context: 'accounts', type: 'PasswordRehashed', version: 1, example: { passwordHash: 'scrypt$131072$8$1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g', at } },
  { context: 'accounts', type: 'PasswordReset', version: 1, example: { passwordHash: hash, resetAt: at, byAccountId: '9c0e1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b' } },
  { context: 'accounts', type: 'AccountDisabled', version: 1, example: { at } },
  { context: 'accounts', type: 'AccountEnabled', version: 1, example: { at } },
  { context: 'accounts', type: 'UsernameReserved', version: 1, example: { username: '1141010001-review', accountId: '5b1b0e4e-2f59-4f3c-8d0c-0c7e0d8e9a11', reservedAt: at } },
  { context: 'accounts', type: 'LoginFailedForUnknownAccount', version: 1, example: { usernameHash: 'c'.repeat(64), failedAt: at } },
];

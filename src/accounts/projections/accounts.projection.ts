import type { ProjectionDefinition } from '../../shared/projections/projection-definition.js';

/** Accounts for administrators: who, where, locked or disabled, whether a session was opened and when. */
export const accountsProjection: ProjectionDefinition = {
  name: 'accounts',
  version: 1,
  collections: { accounts: { indexes: ['username', 'divisionCode', 'institutionCode', 'level', 'role', 'disabled'] } },
  handles: ['AccountCreated', 'LoginSucceeded', 'SessionEnded', 'AccountLocked', 'PasswordReset', 'PasswordChanged', 'AccountDisabled', 'AccountEnabled'],
  keys: (event) => [{ collection: 'accounts', id: event.streamId.replace(/^account-/, '') }],
  evolve(_collection, doc, event) {
    const d = event.data;
    switch (event.type) {
      case 'AccountCreated':
        return {
          id: String(d['accountId']), username: d['username'], realName: d['realName'], level: d['level'], role: d['role'],
          divisionCode: d['divisionCode'], institutionCode: d['institutionCode'] ?? null, disabled: false, lockedUntil: null,
          session: null, lastLoginAt: null, passwordChangedAt: d['createdAt'], createdAt: d['createdAt'],
        };
      case 'LoginSucceeded':
        return doc && { ...doc, session: { startedAt: d['startedAt'], expiresAt: d['expiresAt'] }, lastLoginAt: d['startedAt'], lockedUntil: null };
      case 'SessionEnded':
        return doc && { ...doc, session: null };
      case 'AccountLocked':
        return doc && { ...doc, lockedUntil: d['lockedUntil'] };
      case 'PasswordReset':
        return doc && { ...doc, lockedUntil: null, session: null, passwordChangedAt: d['resetAt'] };
      case 'PasswordChanged':
        return doc && { ...doc, passwordChangedAt: d['changedAt'] };
      case 'AccountDisabled':
        return doc && { ...doc, disabled: true, session: null, disabledReason: event.metadata.reason ?? null };
      case 'AccountEnabled':
        return doc && { ...doc, disabled: false, disabledReason: null };
      default:
        return doc;
    }
  },
};

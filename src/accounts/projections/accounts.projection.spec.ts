import { describe, expect, it } from '@jest/globals';
import { projectEvents } from '../../shared/testing/projection-spec.js';
import { recorded } from '../../shared/testing/recorded.js';
import { ACCOUNT_EVENTS } from '../domain/account.events.js';
import { accountsProjection } from './accounts.projection.js';

const sample = (type: string) => ACCOUNT_EVENTS.find((d) => d.type === type)!.example;
const created = sample('AccountCreated') as { accountId: string; createdAt: string };
const accountId = created.accountId;
const streamId = `account-${accountId}`;
type Step = [type: string, data?: Record<string, unknown>, reason?: string];
// the account's stream in order: positions increase along the list, as in the log
const history = (...steps: Step[]) => steps.map(([type, data, reason]) => recorded(type, data ?? sample(type), { streamId, ...(reason ? { reason } : {}) }));
const create: Step = ['AccountCreated'];
const login: Step = ['LoginSucceeded'];

describe('accounts projection', () => {
  it('one document per account, keyed by the account id, with the fields the administrators’ list filters on', () => {
    const p = projectEvents(accountsProjection, history(create));
    expect(p.doc('accounts', accountId)).toEqual({
      id: accountId, username: '1141010001-review', realName: '李老师', level: 'institution', role: 'review', divisionCode: '410102', institutionCode: '1141010001',
      disabled: false, lockedUntil: null, session: null, lastLoginAt: null, passwordChangedAt: created.createdAt, createdAt: created.createdAt,
    });
    // never the password hash
    expect(JSON.stringify(p.docs('accounts'))).not.toContain('scrypt');
  });

  it('a login opens a session and clears a lock; logging out or a kick-out ends it', () => {
    const locked: Step = ['AccountLocked'];
    const p = projectEvents(accountsProjection, history(create, locked));
    expect(p.doc('accounts', accountId)).toMatchObject({ lockedUntil: '2026-09-01T08:30:00.000Z', session: null });
    const q = projectEvents(accountsProjection, history(create, locked, login));
    expect(q.doc('accounts', accountId)).toMatchObject({ lockedUntil: null, lastLoginAt: '2026-09-01T08:00:00.000Z', session: { startedAt: '2026-09-01T08:00:00.000Z', expiresAt: '2026-09-01T16:00:00.000Z' } });
    const r = projectEvents(accountsProjection, history(create, login, ['SessionEnded']));
    expect(r.doc('accounts', accountId)).toMatchObject({ session: null, lastLoginAt: '2026-09-01T08:00:00.000Z' });
  });

  it('a password reset ends the session and the lock; a change only moves the change date', () => {
    const reset: Step = ['PasswordReset', { ...sample('PasswordReset'), resetAt: '2026-09-02T08:00:00.000Z' }];
    const p = projectEvents(accountsProjection, history(create, login, ['AccountLocked'], reset));
    expect(p.doc('accounts', accountId)).toMatchObject({ session: null, lockedUntil: null, passwordChangedAt: '2026-09-02T08:00:00.000Z' });
    const changed: Step = ['PasswordChanged', { ...sample('PasswordChanged'), changedAt: '2026-09-03T08:00:00.000Z' }];
    const q = projectEvents(accountsProjection, history(create, login, changed));
    expect(q.doc('accounts', accountId)).toMatchObject({ passwordChangedAt: '2026-09-03T08:00:00.000Z', session: { startedAt: '2026-09-01T08:00:00.000Z' } });
  });

  it('disabling ends the session and keeps the reason; enabling clears it', () => {
    const disabled: Step = ['AccountDisabled', undefined, '调离本园'];
    const p = projectEvents(accountsProjection, history(create, login, disabled));
    expect(p.doc('accounts', accountId)).toMatchObject({ disabled: true, disabledReason: '调离本园', session: null });
    const q = projectEvents(accountsProjection, history(create, login, disabled, ['AccountEnabled', undefined, '返岗']));
    expect(q.doc('accounts', accountId)).toMatchObject({ disabled: false, disabledReason: null });
  });

  it('failed and refused logins do not touch the list; events of an account never created make no document', () => {
    const p = projectEvents(accountsProjection, history(create, ['LoginFailed'], ['LoginRefused']));
    expect(p.doc('accounts', accountId)).toMatchObject({ lockedUntil: null, session: null, lastLoginAt: null });
    const orphan = projectEvents(accountsProjection, [recorded('LoginSucceeded', sample('LoginSucceeded'), { streamId: 'account-0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6' })]);
    expect(orphan.docs('accounts')).toEqual([]);
  });
});

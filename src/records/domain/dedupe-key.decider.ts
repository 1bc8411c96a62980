import { createHash } from 'node:crypto';
import type { Decider, DomainEvent } from '../../shared/domain/decider.js';

/**
 * Province de-duplication, race-free (architecture rule 4): every de-duplication key (ID
 * number, or name + gender + birth date within an institution) has its own stream. A record
 * claims its key there with the stream's expected revision, so of two concurrent claims one
 * is decided on the state that already holds the other: both can never pass.
 */
export type DedupeKeyEvent =
  | DomainEvent<'DedupeKeyClaimed', { keyHash: string; recordId: string; institutionCode: string; claimedAt: string }>
  | DomainEvent<'DuplicateDetected', { keyHash: string; caseId: string; recordIds: string[]; detectedAt: string }>
  | DomainEvent<'DedupeKeyReleased', { keyHash: string; recordId: string; releasedAt: string }>;

export type DedupeKeyCommand =
  | { type: 'ClaimKey'; keyHash: string; recordId: string; institutionCode: string; newCaseId: string; at: string }
  | { type: 'ReleaseKey'; keyHash: string; recordId: string; at: string }
  /**
   * The key's case was resolved: its voided entries give the key up. Whoever still holds it
   * besides the valid entry (a newcomer that claimed while the case was closing) starts a new case.
   */
  | { type: 'CloseCase'; keyHash: string; caseId: string; voidRecordIds: string[]; newCaseId: string; at: string };

export interface DedupeKeyState {
  /** records currently holding the key, oldest first */
  claimants: Array<{ recordId: string; institutionCode: string }>;
  /** the open duplicate case of this key, if any */
  caseId: string | null;
}

export const dedupeKeyDecider: Decider<DedupeKeyCommand, DedupeKeyState, DedupeKeyEvent> = {
  initialState: { claimants: [], caseId: null },
  decide(command, state) {
    if (command.type === 'CloseCase') {
      if (state.caseId !== command.caseId) return [];
      const voided = new Set(command.voidRecordIds);
      const events: DedupeKeyEvent[] = state.claimants
        .filter((c) => voided.has(c.recordId))
        .map((c) => ({ type: 'DedupeKeyReleased', data: { keyHash: command.keyHash, recordId: c.recordId, releasedAt: command.at } }));
      const remaining = state.claimants.filter((c) => !voided.has(c.recordId)).map((c) => c.recordId);
      if (remaining.length > 1) events.push({ type: 'DuplicateDetected', data: { keyHash: command.keyHash, caseId: command.newCaseId, recordIds: remaining, detectedAt: command.at } });
      return events;
    }
    const holds = state.claimants.some((c) => c.recordId === command.recordId);
    if (command.type === 'ReleaseKey') {
      return holds ? [{ type: 'DedupeKeyReleased', data: { keyHash: command.keyHash, recordId: command.recordId, releasedAt: command.at } }] : [];
    }
    // a record resubmitted with the same key already holds it: the outcome stands as it was
    if (holds) return [];
    const claimed: DedupeKeyEvent = { type: 'DedupeKeyClaimed', data: { keyHash: command.keyHash, recordId: command.recordId, institutionCode: command.institutionCode, claimedAt: command.at } };
    if (state.claimants.length === 0) return [claimed];
    // everyone holding the key is involved; a later entry joins the open case
    const recordIds = [...state.claimants.map((c) => c.recordId), command.recordId];
    return [claimed, { type: 'DuplicateDetected', data: { keyHash: command.keyHash, caseId: state.caseId ?? command.newCaseId, recordIds, detectedAt: command.at } }];
  },
  evolve(state, event) {
    switch (event.type) {
      case 'DedupeKeyClaimed':
        return { ...state, claimants: [...state.claimants, { recordId: event.data.recordId, institutionCode: event.data.institutionCode }] };
      case 'DuplicateDetected':
        return { ...state, caseId: event.data.caseId };
      case 'DedupeKeyReleased': {
        const claimants = state.claimants.filter((c) => c.recordId !== event.data.recordId);
        // the case is over for the key when one holder is left
        return { claimants, caseId: claimants.length > 1 ? state.caseId : null };
      }
      default:
        return state;
    }
  },
};

/**
 * Keys are hashed: stream names must not carry ID numbers. The hash is keyed with the deployment's
 * secret (HMAC-SM3, `KEYED_HASHER`; application/deduplication/key-hash.ts), so it cannot be
 * reversed by trying the ~1,000 ID numbers of an area and a birth date (ADR 22).
 */
export const dedupeKeyStream = (hash: string): string => `dedupe-key-${hash}`;

/**
 * The unkeyed SHA-256 of key streams written before ADR 22: only to read records flagged then
 * and for the re-keying command (src/cli/rekey-dedupe-keys.ts), never for a new stream.
 */
export const legacyKeyHash = (dedupeKey: string): string => createHash('sha256').update(dedupeKey).digest('hex');

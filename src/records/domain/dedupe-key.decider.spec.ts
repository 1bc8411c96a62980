import { describe, expect, it } from '@jest/globals';
import { EventRegistry } from '../../shared/events/event-registry.js';
import { deciderSpec } from '../../shared/testing/decider-spec.js';
import { KeyedHasher } from '../../shared/personal-data/keyed-hash.js';
import { testHasher } from '../../shared/testing/test-hasher.js';
import { type DedupeKeyEvent, dedupeKeyDecider, legacyKeyHash } from './dedupe-key.decider.js';
import { RECORD_EVENTS } from './record.events.js';

const registry = new EventRegistry().register(RECORD_EVENTS);
const spec = deciderSpec(dedupeKeyDecider, registry);
const at = '2026-09-05T02:00:00.000Z';
const hash = testHasher().hash('dedupe-key', 'id:410102202203150018');
const [a, b, c] = ['6a1f0c1e-7b2d-4c3e-9f10-a2b3c4d5e6f7', '9c3f2e4a-5d6b-4c7d-8e9f-0a1b2c3d4e5f', '1d2e3f4a-5b6c-4d7e-8f90-a1b2c3d4e5f6'];
const caseId = '8b2e1d3f-4c5a-4b6c-8d7e-9f0a1b2c3d4e';
const claimed = (recordId: string, institutionCode = '1141010001'): DedupeKeyEvent => ({ type: 'DedupeKeyClaimed', data: { keyHash: hash, recordId, institutionCode, claimedAt: at } });
const claim = (recordId: string, institutionCode = '1141010001', newCaseId = caseId) => ({ type: 'ClaimKey' as const, keyHash: hash, recordId, institutionCode, newCaseId, at });

describe('de-duplication key decider', () => {
  it('the first claim is unique', () => {
    spec.given([]).when(claim(a)).then([claimed(a)]);
  });
  it('a second claim opens a case with every holder; a third joins the same case', () => {
    spec.given([claimed(a)]).when(claim(b, '1141010004')).then([claimed(b, '1141010004'), { type: 'DuplicateDetected', data: { keyHash: hash, caseId, recordIds: [a, b], detectedAt: at } }]);
    const detected: DedupeKeyEvent = { type: 'DuplicateDetected', data: { keyHash: hash, caseId, recordIds: [a, b], detectedAt: at } };
    spec.given([claimed(a), claimed(b), detected]).when(claim(c, '1141010002', 'ffffffff-ffff-4fff-8fff-ffffffffffff')).then([claimed(c, '1141010002'), { type: 'DuplicateDetected', data: { keyHash: hash, caseId, recordIds: [a, b, c], detectedAt: at } }]);
  });
  it('a resubmission by a holder changes nothing; release frees the key', () => {
    spec.given([claimed(a)]).when(claim(a)).then([]);
    spec.given([claimed(a)]).when({ type: 'ReleaseKey', keyHash: hash, recordId: a, at }).then([{ type: 'DedupeKeyReleased', data: { keyHash: hash, recordId: a, releasedAt: at } }]);
    spec.given([claimed(a), { type: 'DedupeKeyReleased', data: { keyHash: hash, recordId: a, releasedAt: at } }]).when(claim(b)).then([claimed(b)]);
    spec.given([]).when({ type: 'ReleaseKey', keyHash: hash, recordId: a, at }).then([]);
  });

  it('closing a resolved case releases its voided holders; a newcomer that claimed meanwhile starts a new case with the valid one', () => {
    const detected: DedupeKeyEvent = { type: 'DuplicateDetected', data: { keyHash: hash, caseId, recordIds: [a, b], detectedAt: at } };
    const fresh = 'ffffffff-ffff-4fff-8fff-ffffffffffff';
    const close = (voidRecordIds: string[]) => ({ type: 'CloseCase' as const, keyHash: hash, caseId, voidRecordIds, newCaseId: fresh, at });
    const released = (recordId: string): DedupeKeyEvent => ({ type: 'DedupeKeyReleased', data: { keyHash: hash, recordId, releasedAt: at } });
    spec.given([claimed(a), claimed(b), detected]).when(close([b])).then([released(b)]);
    spec.given([claimed(a), claimed(b), detected, released(b)]).thenState({ claimants: [{ recordId: a, institutionCode: '1141010001' }], caseId: null });
    // replayed, or for a case the key has moved on from: nothing
    spec.given([claimed(a), claimed(b), detected, released(b)]).when(close([b])).then([]);
    const joined: DedupeKeyEvent = { type: 'DuplicateDetected', data: { keyHash: hash, caseId, recordIds: [a, b, c], detectedAt: at } };
    spec.given([claimed(a), claimed(b), detected, claimed(c), joined]).when(close([b])).then([
      released(b),
      { type: 'DuplicateDetected', data: { keyHash: hash, caseId: fresh, recordIds: [a, c], detectedAt: at } },
    ]);
  });

  it('names key streams by a keyed hash: without the deployment secret the ~1,000 numbers of an area and birth date cannot be tried', () => {
    const key = 'id:410102202203150018';
    expect(hash).not.toBe(legacyKeyHash(key));
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(new KeyedHasher(Buffer.alloc(32, 1)).hash('dedupe-key', key)).not.toBe(hash);
  });
});

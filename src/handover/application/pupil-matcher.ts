import { Inject, Injectable } from '@nestjs/common';
import { RECORDS_READ_MODEL } from '../../records/contracts/index.js';
import { READ_STORE } from '../../shared/infrastructure/tokens.js';
import { type Doc, type ReadStore, findAll } from '../../shared/read-store/read-store.port.js';
import type { Match, Pupil } from '../domain/pupil.js';

/** records that are preschool records (学籍): numbered, in the kindergarten or left it */
const HELD = new Set(['numbered', 'left']);
const BATCH = 500;
/** more candidates than a registrar could compare is a list to refine, not to pick from */
const MAX_CANDIDATES = 20;

/**
 * Matches new pupils against the province's preschool records (issue 16, item 3), by index
 * lookups on the records read model, a batch of ID numbers (or names) per query, never a scan:
 * - matched: exactly one record with the same ID number and the same name, gender and birth date;
 * - to confirm: the same ID number with another name (or gender, birth date), or several exact
 *   ones; without an ID number, the records with the same name, gender and birth date;
 * - not found: nothing of the above.
 * Only numbered records count (in the kindergarten or left it): saved or rejected entries are not 学籍.
 * Names and ID numbers are compared in the read store's stored form (keyed hashes under encryption
 * at rest): matching opens no child's personal data, which made it the hand-over's main cost.
 */
@Injectable()
export class PupilMatcher {
  constructor(@Inject(READ_STORE) private readonly reads: ReadStore) {}

  async match(pupils: readonly Pupil[]): Promise<Match[]> {
    const stored = (field: string, value: string): string => this.reads.storedForm?.(RECORDS_READ_MODEL, field, value) ?? value;
    const byId = await this.lookup('idNumber', pupils.flatMap((p) => (p.idNumber ? [p.idNumber] : [])));
    const byName = await this.lookup('name', pupils.flatMap((p) => (p.idNumber ? [] : [p.name])));
    return pupils.map((pupil) => {
      // the pupil's name in stored form once, for every candidate it is compared with
      const name = stored('name', pupil.name);
      const sameKey = (doc: Doc): boolean => doc['name'] === name && doc['gender'] === pupil.gender && doc['birthDate'] === pupil.birthDate;
      if (pupil.idNumber) {
        const same = byId.get(stored('idNumber', pupil.idNumber)) ?? [];
        const exact = same.filter(sameKey);
        if (exact.length === 1) return { outcome: 'matched', recordId: exact[0]!.id, candidates: [], basis: 'id-and-key' };
        if (same.length > 0) return toConfirm(exact.length > 1 ? exact : same, exact.length > 1 ? 'id-and-key' : 'id-only');
        return NOT_FOUND;
      }
      const same = (byName.get(name) ?? []).filter(sameKey);
      return same.length > 0 ? toConfirm(same, 'name-gender-birth') : NOT_FOUND;
    });
  }

  /** The held records by one indexed field, for many values at once, keyed by the field's stored form. */
  private async lookup(field: 'idNumber' | 'name', values: string[]): Promise<Map<string, Doc[]>> {
    const found = new Map<string, Doc[]>();
    const unique = [...new Set(values)];
    for (let i = 0; i < unique.length; i += BATCH) {
      for (const doc of await findAll(this.reads, RECORDS_READ_MODEL, { [field]: { $in: unique.slice(i, i + BATCH) } }, { storedForm: true })) {
        if (!HELD.has(String(doc['status']))) continue;
        const key = String(doc[field]);
        found.set(key, [...(found.get(key) ?? []), doc]);
      }
    }
    return found;
  }
}

const NOT_FOUND: Match = { outcome: 'not-found', recordId: null, candidates: [], basis: null };

function toConfirm(docs: Doc[], basis: Match['basis']): Match {
  return { outcome: 'to-confirm', recordId: null, candidates: docs.slice(0, MAX_CANDIDATES).map((d) => d.id), basis };
}

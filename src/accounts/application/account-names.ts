import { Inject, Injectable } from '@nestjs/common';
import type { EventActor } from '../../shared/event-store/event-store.port.js';
import { READ_STORE } from '../../shared/infrastructure/tokens.js';
import { physicalCollection } from '../../shared/projections/projection-definition.js';
import type { ReadStore } from '../../shared/read-store/read-store.port.js';
import { accountsProjection } from '../projections/accounts.projection.js';

const accounts = physicalCollection(accountsProjection, 'accounts');

export interface AccountName {
  username: string;
  realName: string;
}

/** An actor with the names an auditor reads beside its account id (null for the system or an unknown account). */
export type NamedActor = EventActor & { username: string | null; realName: string | null };

/**
 * Who an account is, for histories (issue 22, item 3): username and real name from the accounts
 * read model, many at once (one read for a whole history or page, not one per line).
 */
@Injectable()
export class AccountNames {
  constructor(@Inject(READ_STORE) private readonly reads: ReadStore) {}

  async of(accountIds: Iterable<string>): Promise<Map<string, AccountName>> {
    const ids = [...new Set(accountIds)].filter((id) => id !== 'system');
    const docs = ids.length > 0 ? await this.reads.getMany(accounts, ids) : new Map();
    const names = new Map<string, AccountName>();
    for (const [id, doc] of docs) names.set(id, { username: String(doc['username']), realName: String(doc['realName']) });
    return names;
  }

  /** Each actor with its names. */
  async name<T extends { actor: EventActor }>(lines: T[]): Promise<Array<Omit<T, 'actor'> & { actor: NamedActor }>> {
    const names = await this.of(lines.map((l) => l.actor.accountId));
    return lines.map((l) => {
      const found = names.get(l.actor.accountId);
      return { ...l, actor: { ...l.actor, username: found?.username ?? null, realName: found?.realName ?? null } };
    });
  }
}

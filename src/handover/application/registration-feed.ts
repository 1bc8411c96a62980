import { Inject } from '@nestjs/common';
import { type IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { maskPersonal } from '../../records/contracts/index.js';
import { divisionPrefix } from '../../shared/access/jurisdiction.js';
import type { MachineClient } from '../../shared/access/machine-clients.js';
import { forbidden } from '../../shared/domain/domain-error.js';
import { READ_STORE } from '../../shared/infrastructure/tokens.js';
import { personalDataShown } from '../../shared/personal-data/read-audit.js';
import type { ReadStore } from '../../shared/read-store/read-store.port.js';
import { ENTRIES } from '../projections/handover.projection.js';

export interface NotFoundPupil {
  entryId: string;
  schoolCode: string;
  divisionCode: string;
  name: string;
  gender: string;
  birthDate: string;
  idType: string;
  idNumber: string | null;
  listedAt: string;
  updatedAt: string;
}

export class RegistrationNotFound extends Query<{ items: NotFoundPupil[]; nextCursor: string | null }> {
  constructor(readonly client: MachineClient, readonly limit: number, readonly cursor?: string) {
    super();
  }
}

/**
 * The not-found pupils for the primary/secondary registration system (issue 16, item 6), an API
 * client of the sharing context (ADR 21): the pupils its division's schools listed and no
 * preschool record was found for, which the registration system registers anew. Its data profile
 * decides what it reads: `personal` in full, `masked` with ID numbers masked; a `summary`
 * client reads no pupil.
 */
@QueryHandler(RegistrationNotFound)
export class RegistrationNotFoundHandler implements IQueryHandler<RegistrationNotFound> {
  constructor(@Inject(READ_STORE) private readonly reads: ReadStore) {}

  async execute({ client, limit, cursor }: RegistrationNotFound) {
    if (client.profile === 'summary') throw forbidden('profile-summary', '该接口客户端的数据档案为“统计”（summary），不能读取学生明细；请由省级管理员为其配置 masked 或 personal 档案');
    const prefix = divisionPrefix(client.divisionCode);
    const page = await this.reads.find(ENTRIES, { divisionCode: client.level === 'county' ? client.divisionCode : { $prefix: prefix }, status: 'not-found' }, { sort: [['updatedAt', 'asc']], limit, ...(cursor ? { cursor } : {}) });
    const items = page.items.map((d) => {
      const pupil: NotFoundPupil = {
        entryId: d.id, schoolCode: String(d['schoolCode']), divisionCode: String(d['divisionCode']), name: String(d['name']), gender: String(d['gender']), birthDate: String(d['birthDate']),
        idType: String(d['idType']), idNumber: (d['idNumber'] as string | null) ?? null, listedAt: String(d['importedAt']), updatedAt: String(d['updatedAt']),
      };
      return client.profile === 'personal' ? pupil : maskPersonal(pupil);
    });
    // a `personal` client reads the pupils in full; they have no preschool record, so the read names
    // the entry of the school's list (the school and its county audit it, ADR 22)
    if (client.profile === 'personal') personalDataShown(items.map((p) => ({ recordId: p.entryId, institutionCode: p.schoolCode, divisionCode: p.divisionCode })));
    return { items, nextCursor: page.nextCursor };
  }
}

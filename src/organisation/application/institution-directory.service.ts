import { Inject, Injectable } from '@nestjs/common';
import { READ_STORE } from '../../shared/infrastructure/tokens.js';
import { physicalCollection } from '../../shared/projections/projection-definition.js';
import type { ReadStore } from '../../shared/read-store/read-store.port.js';
import { institutionsProjection } from '../projections/institutions.projection.js';
import { provinceCodeOf } from '../../shared/access/jurisdiction.js';
import { CommandPath } from '../../shared/command/command-path.js';
import { institutionDecider, institutionStream } from '../domain/institution.decider.js';
import { DivisionService } from './division.service.js';

/** What other contexts need to know of an institution: where it is and whether it still exists. */
export interface InstitutionFacts {
  code: string;
  name: string;
  divisionCode: string;
  revoked: boolean;
}

/** The offices above a county-level division: who reviews, who arbitrates between counties. */
export interface DivisionSuperiors {
  county: string;
  countyName: string;
  /** the real prefecture; null under a municipality or for a county administered by the province */
  prefecture: string | null;
  province: string;
}

/** Read from the institution's own stream (always current, a handful of events). */
@Injectable()
export class InstitutionDirectory {
  constructor(
    private readonly commands: CommandPath,
    private readonly divisions: DivisionService,
  ) {}

  /** the institutions read model, for names only (a property, so hand-built directories in tests stay as they are) */
  @Inject(READ_STORE) private readonly reads!: ReadStore;

  /**
   * The names of many institutions at once, for lists that show a code (issue 22, item 3): one
   * read of the institutions read model for a whole page. A code not registered is absent.
   */
  async names(codes: Iterable<string>): Promise<Map<string, string>> {
    const unique = [...new Set(codes)];
    const docs = unique.length > 0 ? await this.reads.getMany(physicalCollection(institutionsProjection, 'institutions'), unique) : new Map();
    return new Map([...docs].map(([code, doc]) => [code, String(doc['name'])]));
  }

  async institution(code: string): Promise<InstitutionFacts | null> {
    const { state } = await this.commands.load(institutionStream(code), institutionDecider);
    if (!state.entry) return null;
    return { code, name: state.entry.name, divisionCode: state.entry.divisionCode, revoked: state.revoked };
  }

  /** Every county-level division (with custom ones) for lookup sheets: code and full name. */
  async counties(): Promise<Array<{ code: string; name: string }>> {
    const tree = await this.divisions.tree();
    return tree
      .all()
      .filter((d) => d.level === 'county')
      .map((d) => ({ code: d.code, name: tree.fullName(d.code) }));
  }

  /** The prefecture and province above a county (placeholder prefectures such as 省直辖县级行政区划 are not offices). */
  async superiors(countyCode: string): Promise<DivisionSuperiors> {
    const tree = await this.divisions.tree();
    const path = tree.path(countyCode);
    const prefecture = path.find((d) => d.level === 'prefecture');
    return {
      county: countyCode,
      countyName: tree.fullName(countyCode),
      prefecture: prefecture && !prefecture.placeholder ? prefecture.code : null,
      province: path[0]?.code ?? provinceCodeOf(countyCode),
    };
  }

  /** A check, for many codes at once, that the first six digits of a 6- or 12-digit code name a known division. */
  async divisionCheck(): Promise<(code: string) => boolean> {
    const tree = await this.divisions.tree();
    return (code) => tree.has(code.slice(0, 6));
  }
}

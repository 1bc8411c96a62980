// GB/T 2260 administrative division tree (province / prefecture / county), 6-digit codes.
// Pure domain code: the only input is the shipped JSON seed, see ../data/README.md.
import seed from '../data/divisions.gbt2260.json' with { type: 'json' };

export type DivisionLevel = 'province' | 'prefecture' | 'county';

export interface Division {
  code: string;
  name: string;
  level: DivisionLevel;
  parent: string | null;
  /** NBS placeholder prefecture (直辖市 "市辖区", 省直辖县级行政区划): not a real prefecture. */
  placeholder?: boolean;
  /** County-level zone created by the ministry, not in GB/T 2260. */
  custom?: boolean;
}

const PARENT_LEVEL: Record<DivisionLevel, DivisionLevel | null> = {
  province: null,
  prefecture: 'province',
  county: 'prefecture',
};

const CODE_PATTERN = /^\d{6}$/;

export class DivisionTree {
  private readonly byCode = new Map<string, Division>();
  private readonly childrenByCode = new Map<string, Division[]>();

  constructor(divisions: readonly Division[]) {
    for (const d of divisions) {
      if (!DivisionTree.isDivisionCode(d.code)) throw new Error(`区划代码格式错误：${d.code}`);
      if (!(d.level in PARENT_LEVEL)) throw new Error(`区划级别错误：${d.code} ${String(d.level)}`);
      if (this.byCode.has(d.code)) throw new Error(`区划代码重复：${d.code}`);
      this.byCode.set(d.code, Object.freeze({ ...d }));
    }
    for (const d of this.byCode.values()) {
      const expected = PARENT_LEVEL[d.level];
      if (d.parent === null) {
        if (expected !== null) throw new Error(`区划 ${d.code} 缺少上级区划`);
        continue;
      }
      const parent = this.byCode.get(d.parent);
      if (!parent) throw new Error(`区划 ${d.code} 的上级区划 ${d.parent} 不存在`);
      if (parent.level !== expected) throw new Error(`区划 ${d.code}（${d.level}）的上级区划 ${d.parent} 级别应为 ${String(expected)}`);
      const siblings = this.childrenByCode.get(d.parent);
      if (siblings) siblings.push(d);
      else this.childrenByCode.set(d.parent, [d]);
    }
    for (const list of this.childrenByCode.values()) list.sort(byCode);
  }

  /** Six digits; says nothing about whether the code exists. */
  static isDivisionCode(code: string): boolean {
    return typeof code === 'string' && CODE_PATTERN.test(code);
  }

  get size(): number {
    return this.byCode.size;
  }

  all(): Division[] {
    return [...this.byCode.values()].sort(byCode);
  }

  get(code: string): Division | undefined {
    return this.byCode.get(code);
  }

  has(code: string): boolean {
    return this.byCode.has(code);
  }

  /** Direct children, sorted by code; empty for unknown codes and leaves. */
  children(code: string): Division[] {
    return [...(this.childrenByCode.get(code) ?? [])];
  }

  /** Ancestors, nearest first, up to the province; excludes the node itself. Empty for unknown codes. */
  ancestors(code: string): Division[] {
    const result: Division[] = [];
    let current = this.byCode.get(code);
    while (current?.parent) {
      current = this.byCode.get(current.parent);
      if (current) result.push(current);
    }
    return result;
  }

  /** Province first, down to the node itself. Empty for unknown codes. */
  path(code: string): Division[] {
    const node = this.byCode.get(code);
    return node ? [...this.ancestors(code).reverse(), node] : [];
  }

  /**
   * The name as written on documents: the path's names without placeholder prefectures, which
   * either repeat the municipality («北京市北京市东城区», issue 22 item 8) or are no place
   * at all («河南省省直辖县级行政区划济源市»).
   */
  fullName(code: string): string {
    return this.path(code).filter((d, i, path) => !d.placeholder || i === path.length - 1).map((d) => d.name).join('');
  }

  /** True when `code` is `ancestorCode` itself or lies below it. False when either is unknown. */
  isWithin(code: string, ancestorCode: string): boolean {
    if (!this.byCode.has(code) || !this.byCode.has(ancestorCode)) return false;
    return code === ancestorCode || this.ancestors(code).some((d) => d.code === ancestorCode);
  }

  /** Deepest division containing both (a node contains itself); null when in different provinces or unknown. */
  lowestCommonAncestor(a: string, b: string): Division | null {
    const pathA = this.path(a);
    const pathB = this.path(b);
    let common: Division | null = null;
    for (let i = 0; i < Math.min(pathA.length, pathB.length) && pathA[i].code === pathB[i].code; i++) {
      common = pathA[i];
    }
    return common;
  }

  provinceOf(code: string): Division | undefined {
    return this.path(code)[0];
  }

  /**
   * New tree with a ministry-created county-level zone added under a prefecture.
   * The code must be 6 digits, unused, and start with the prefecture's 4 digits.
   */
  withCustom(division: Division): DivisionTree {
    const { code, name, parent } = division;
    if (!DivisionTree.isDivisionCode(code)) throw new Error(`自定义区划代码必须为 6 位数字：${code}`);
    if (this.byCode.has(code)) throw new Error(`区划代码 ${code} 已被使用（${this.byCode.get(code)!.name}）`);
    if (typeof name !== 'string' || name.trim() === '') throw new Error(`自定义区划 ${code} 缺少名称`);
    if (division.level !== 'county') throw new Error(`自定义区划 ${code} 必须为县级区划`);
    if (parent === null || parent === undefined) throw new Error(`自定义区划 ${code} 必须指定上级地级区划`);
    const parentDivision = this.byCode.get(parent);
    if (!parentDivision) throw new Error(`自定义区划 ${code} 的上级区划 ${parent} 不存在`);
    if (parentDivision.level !== 'prefecture') throw new Error(`自定义区划 ${code} 的上级区划 ${parent} 不是地级区划`);
    if (code.slice(0, 4) !== parent.slice(0, 4)) throw new Error(`自定义区划代码 ${code} 的前 4 位应与上级区划 ${parent} 一致`);
    return new DivisionTree([
      ...this.byCode.values(),
      { code, name: name.trim(), level: 'county', parent, custom: true },
    ]);
  }
}

function byCode(x: Division, y: Division): number {
  return x.code < y.code ? -1 : x.code > y.code ? 1 : 0;
}

let cached: DivisionTree | undefined;

/** The shipped GB/T 2260 tree (NBS 2023 data), built once. */
export function defaultDivisionTree(): DivisionTree {
  // Levels are validated by the constructor; the JSON type only knows `level: string`.
  cached ??= new DivisionTree(seed.divisions as Division[]);
  return cached;
}

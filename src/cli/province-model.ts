// The synthetic province's distributions (npm run generate): pure functions of a seeded random
// source, no I/O, so a seed gives the same province every time and the specs can check the shapes.
import type { InstitutionType, Ownership, RegistryEntry } from '../organisation/domain/institution.decider.js';
import type { Division, DivisionTree } from '../organisation/domain/divisions.js';
import type { ChildFields, Guardian } from '../records/domain/child.js';
import { ageOn, schoolYearStart } from '../records/domain/child.js';
import { checkCharacter } from '../records/domain/id-number.js';
import type { RecordStatus } from '../records/domain/record.decider.js';

// ---------------------------------------------------------------------------------------------
// Random source

/** sfc32 seeded through splitmix32: fast, 128 bits of state, the same sequence for the same seed. */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    let s = seed >>> 0;
    const next = (): number => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    for (let i = 0; i < 12; i++) this.next();
  }

  /** Uniform in [0, 1). */
  next(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t / 4294967296;
  }

  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  /** Standard normal (Box-Muller). */
  normal(): number {
    const u = 1 - this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [items[i], items[j]] = [items[j]!, items[i]!];
    }
    return items;
  }
}

/** A table of values with weights, drawn in proportion to the weights. */
export class Weighted<T> {
  private readonly values: T[];
  private readonly cumulative: number[];

  constructor(entries: ReadonlyArray<readonly [T, number]>) {
    this.values = entries.map(([v]) => v);
    let sum = 0;
    this.cumulative = entries.map(([, w]) => (sum += w));
    if (!(sum > 0)) throw new Error('a weighted table needs a positive total weight');
  }

  draw(random: Random): T {
    const x = random.next() * this.cumulative[this.cumulative.length - 1]!;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulative[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return this.values[lo]!;
  }
}

// ---------------------------------------------------------------------------------------------
// Record states: the one table of what the generator leaves children in

/** What the generator does to a child's record, in the service's order: each step is the command the service would run. */
export type RecordStep = 'save' | 'submit' | 'deduplicate' | 'approve';

/**
 * The states children are left in, with the steps that lead there and their default shares.
 * - 'problem' is never drawn: a child becomes a problem record when it is de-duplicated while
 *   another record in the province holds its ID number (the duplicate share, --duplicates).
 * - 'submitted' defaults to 0: the service de-duplicates every submission at once, and its
 *   reactor completes any that the log shows without an outcome.
 * - Issue 5 (duplicate cases, status 'void') adds its rows here.
 */
export const RECORD_STATES = {
  saved: { steps: ['save'], share: 0.03 },
  submitted: { steps: ['save', 'submit'], share: 0 },
  'dedupe-passed': { steps: ['save', 'submit', 'deduplicate'], share: 0.04 },
  numbered: { steps: ['save', 'submit', 'deduplicate', 'approve'], share: 0.93 },
} as const satisfies Partial<Record<RecordStatus, { steps: readonly RecordStep[]; share: number }>>;
export type TargetState = keyof typeof RECORD_STATES;
export const TARGET_STATES = Object.keys(RECORD_STATES) as TargetState[];

/** "saved=0.05,numbered=0.9" -> shares, every state not named keeping its default. */
export function parseStateShares(text: string | undefined): Record<TargetState, number> {
  const shares = Object.fromEntries(TARGET_STATES.map((s) => [s, RECORD_STATES[s].share])) as Record<TargetState, number>;
  if (!text) return shares;
  for (const part of text.split(',').filter(Boolean)) {
    const [name, value] = part.split('=');
    if (!name || !(name in RECORD_STATES)) throw new Error(`unknown state "${name}" (known: ${TARGET_STATES.join(', ')})`);
    const share = Number(value);
    if (!(share >= 0)) throw new Error(`state share of ${name} must be a number >= 0`);
    shares[name as TargetState] = share;
  }
  if (!(Object.values(shares).reduce((a, b) => a + b, 0) > 0)) throw new Error('state shares must not all be 0');
  return shares;
}

export const stateTable = (shares: Record<TargetState, number>): Weighted<TargetState> => new Weighted(TARGET_STATES.map((s) => [s, shares[s]] as const));

// ---------------------------------------------------------------------------------------------
// ID numbers

/** A checksum-valid resident ID number (GB 11643): area, birth date (YYYY-MM-DD), sequence (odd = male). */
export function residentIdNumber(area: string, birthDate: string, sequence: number): string {
  const first17 = `${area}${birthDate.replaceAll('-', '')}${String(sequence).padStart(3, '0')}`;
  return `${first17}${checkCharacter(first17)}`;
}

/**
 * Hands out distinct ID numbers: for each area, birth date and gender the 499 sequence slots of
 * that gender (odd for boys, even for girls) in a scrambled order. Undefined when a slot set is
 * full (the caller picks another area).
 */
export class IdNumberAllocator {
  private readonly used = new Map<string, number>();

  next(area: string, birthDate: string, gender: '1' | '2'): string | undefined {
    const key = `${area}${birthDate}${gender}`;
    const n = this.used.get(key) ?? 0;
    if (n >= 499) return undefined;
    this.used.set(key, n + 1);
    // 211 and 499 are coprime: the slots are visited in a scrambled order, each once
    const slot = (hashOf(key) + n * 211) % 499;
    return residentIdNumber(area, birthDate, 2 * slot + (gender === '1' ? 1 : 2));
  }
}

function hashOf(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return (h >>> 0) % 499;
}

// ---------------------------------------------------------------------------------------------
// Names

// The commonest surnames (公安部 2020 household-registration figures, rounded), Henan's leading five first.
const SURNAMES = new Weighted<string>([
  ['王', 71], ['李', 70], ['张', 66], ['刘', 54], ['陈', 45], ['杨', 31], ['黄', 22], ['赵', 20], ['吴', 18], ['周', 17],
  ['徐', 14], ['孙', 13], ['马', 13], ['朱', 12], ['胡', 11], ['郭', 11], ['何', 10], ['林', 9.5], ['罗', 9.5], ['高', 9.3],
  ['郑', 8], ['梁', 7.6], ['谢', 6.5], ['宋', 6.2], ['唐', 6.1], ['许', 5.9], ['韩', 5.6], ['冯', 5.5], ['邓', 5.5], ['曹', 5.3],
  ['彭', 5.2], ['曾', 5], ['肖', 4.9], ['田', 4.8], ['董', 4.7], ['袁', 4.5], ['潘', 4.4], ['于', 4.3], ['蒋', 4.2], ['蔡', 4.2],
  ['余', 4.1], ['杜', 4], ['叶', 3.9], ['程', 3.8], ['苏', 3.6], ['魏', 3.6], ['吕', 3.5], ['丁', 3.4], ['任', 3.3], ['沈', 3.2],
  ['姚', 3.1], ['卢', 3.1], ['姜', 3], ['崔', 2.9], ['钟', 2.8], ['谭', 2.7], ['陆', 2.6], ['汪', 2.5], ['范', 2.5], ['金', 2.4],
  ['石', 2.4], ['廖', 2.3], ['贾', 2.3], ['夏', 2.2], ['韦', 2.2], ['付', 2.1], ['方', 2.1], ['白', 2], ['邹', 2], ['孟', 2],
  ['熊', 1.9], ['秦', 1.9], ['邱', 1.8], ['江', 1.8], ['尹', 1.8], ['薛', 1.7], ['闫', 1.7], ['段', 1.6], ['雷', 1.6], ['侯', 1.6],
  ['龙', 1.5], ['史', 1.5], ['陶', 1.4], ['黎', 1.4], ['贺', 1.4], ['顾', 1.3], ['毛', 1.3], ['郝', 1.3], ['龚', 1.2], ['邵', 1.2],
  ['欧阳', 0.3], ['司马', 0.05], ['上官', 0.04], ['诸葛', 0.03],
]);

// Names given most often to children born 2020-2024 (公安部 yearly name reports), and characters to compose others from.
const BOY_NAMES = ['沐宸', '浩宇', '沐辰', '茗泽', '奕辰', '宇泽', '浩然', '奕泽', '宇轩', '沐阳', '子墨', '梓睿', '一诺', '俊熙', '皓轩', '梓豪', '子轩', '博文', '明轩', '铭泽', '睿泽', '景行', '承泽', '思远', '嘉懿', '书恒', '瑾瑜', '亦辰', '锦程', '昊然'];
const GIRL_NAMES = ['若汐', '一诺', '艺涵', '依诺', '梓涵', '苡沫', '雨桐', '欣怡', '语桐', '语汐', '梓萱', '芷若', '诗涵', '可馨', '梓汐', '安然', '思妍', '语嫣', '沐瑶', '雨萱', '梦瑶', '佳怡', '子涵', '一涵', '诗琪', '若曦', '知夏', '清妍', '婉清', '星冉'];
const BOY_CHARS = '宇浩泽轩辰睿博昊俊杰哲铭晨逸凯阳翔霖瑞航峻熙楠鑫磊涛文天明皓然煜锦承毅恒旭'.split('');
const GIRL_CHARS = '涵怡欣梓萱雨桐诗琪雅婷佳悦思妍可馨语嫣晴瑶蕊彤月莹菲琳露颖婉清芮媛馨钰'.split('');
const MAN_CHARS = '伟强磊军勇杰涛明超鹏华飞刚辉斌波浩亮帅峰建志国东林龙鑫'.split('');
const WOMAN_CHARS = '丽娟敏静艳芳婷霞燕玲慧颖倩雪红梅洁琳娜晶丹萍莉春凤兰'.split('');

function givenName(random: Random, whole: readonly string[], chars: readonly string[]): string {
  const roll = random.next();
  if (roll < 0.55) return random.pick(whole);
  if (roll < 0.85) return random.pick(chars) + random.pick(chars);
  return random.pick(chars);
}

export function childName(random: Random, gender: '1' | '2', surname = SURNAMES.draw(random)): string {
  return surname + (gender === '1' ? givenName(random, BOY_NAMES, BOY_CHARS) : givenName(random, GIRL_NAMES, GIRL_CHARS));
}

function adultName(random: Random, male: boolean, surname = SURNAMES.draw(random)): string {
  const chars = male ? MAN_CHARS : WOMAN_CHARS;
  return surname + (random.chance(0.6) ? random.pick(chars) + random.pick(chars) : random.pick(chars));
}

// ---------------------------------------------------------------------------------------------
// Code-table values (codes of src/records/data/code-tables.json), in proportions of a central province

const ETHNICITY = new Weighted<string>([['01', 98.8], ['03', 0.9], ['02', 0.08], ['11', 0.08], ['06', 0.03], ['15', 0.03], ['08', 0.03], ['07', 0.02], ['04', 0.01]]);
const HOUSEHOLD_TYPE = new Weighted<string>([['1', 55], ['2', 45]]);
const HEALTH = new Weighted<string>([['10', 96.5], ['20', 2.4], ['30', 0.5], ['40', 0.3], ['50', 0.3]]);
const DISABILITY = new Weighted<string>([['1', 10], ['2', 12], ['3', 18], ['4', 20], ['5', 22], ['6', 5], ['7', 8], ['8', 5]]);
const BLOOD = new Weighted<string | null>([[null, 45], ['1', 15.4], ['2', 15.9], ['3', 5.5], ['4', 17.1], ['0', 1.1]]);
const LEFT_BEHIND = new Weighted<string>([['0', 85], ['1', 9], ['2', 6]]);
const FOREIGN_NATIONALITY = ['KOR', 'USA', 'JPN', 'RUS', 'VNM', 'AUS', 'CAN', 'GBR', 'DEU', 'FRA', 'MYS', 'SGP'];
const ROADS = ['建设路', '人民路', '解放路', '文化路', '中山路', '和平路', '新华路', '胜利路', '光明路', '工业路', '南阳路', '黄河路', '嵩山路', '农业路', '经三路', '花园路', '金水路', '紫荆山路', '未来路', '伏牛路'];
const TOWN_CHARS = '城关东西南北新安丰和平兴河山李王张刘陈杨黄白马石桥店集庄寨楼营岗'.split('');
const BRANDS = ['阳光', '蓝天', '小天使', '金太阳', '七彩', '童心', '启航', '爱心', '育才', '新蕾', '贝贝', '春苗', '星星', '彩虹', '向日葵', '小博士', '蒙特梭利', '英才', '智慧树', '快乐宝贝'];
const NUMERALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二', '十三', '十四', '十五', '十六', '十七', '十八', '十九', '二十'];

// ---------------------------------------------------------------------------------------------
// Institutions

export interface PlannedInstitution {
  entry: RegistryEntry;
  /** regular children (bench institutions get their extra saved and passed children on top) */
  size: number;
  bench: boolean;
}

export interface ProvincePlanOptions {
  province: string;
  /** children in the province, duplicates included */
  children: number;
  /** share of children whose ID number another child in another institution also has */
  duplicateShare: number;
  benchInstitutions: number;
  /** extra children each bench institution gets on top of its regular ones (counted in `children`) */
  benchChildren: number;
}

/** County-level divisions of a province: counties, and prefecture-level cities without counties (as the registry sync checks). */
export function countiesOf(tree: DivisionTree, province: string): Division[] {
  return tree.all().filter((d) => d.code.startsWith(province.slice(0, 2)) && d.level !== 'province' && tree.children(d.code).length === 0);
}

/** Institution sizes of a central province: mean about 240 children, from small village classes to big city kindergartens. */
function institutionSize(random: Random, type: InstitutionType): number {
  const median = type === 'kindergarten' ? 220 : type === 'attached-kindergarten' ? 110 : 45;
  return Math.max(12, Math.min(1200, Math.round(median * Math.exp(0.55 * random.normal()))));
}

/**
 * The province's institutions (as its registry file would list them) with their numbers of
 * children. Counties get institutions in proportion to a drawn weight (city districts heavier);
 * the sizes add up to the regular children (the bench institutions' extra children and the second
 * records of duplicated ID numbers come on top, so the total is `children`). Bench institutions
 * are kindergartens in different counties.
 */
export function planInstitutions(tree: DivisionTree, options: ProvincePlanOptions, random: Random): PlannedInstitution[] {
  const counties = countiesOf(tree, options.province);
  if (counties.length === 0) throw new Error(`province ${options.province} has no county-level divisions in the division table`);
  const countyTable = new Weighted(counties.map((c) => [c, Math.exp(0.5 * random.normal()) * (c.name.endsWith('区') ? 1.5 : 1)] as const));
  const typeTable = new Weighted<InstitutionType>([['kindergarten', 88], ['attached-kindergarten', 10], ['preschool-class', 2]]);
  // records in pairs are `duplicateShare` of all: the second of each pair comes on top of the planned sizes
  let remaining = Math.round(options.children * (1 - options.duplicateShare / 2)) - options.benchInstitutions * options.benchChildren;
  if (remaining < Math.max(1, options.benchInstitutions) * 50) {
    throw new Error(`${options.children} children leave too few for the kindergartens once the ${options.benchInstitutions} bench kindergartens' ${options.benchChildren} extra children each are counted: raise --children or lower --bench-saved/--bench-passed`);
  }
  const sequences: Record<string, number> = { '11': 1000 + random.int(9000), '21': 1000 + random.int(9000) };
  const perCounty = new Map<string, number>();
  const planned: PlannedInstitution[] = [];
  while (remaining > 0) {
    const county = countyTable.draw(random);
    const type = typeTable.draw(random);
    const size = Math.min(remaining, institutionSize(random, type));
    remaining -= size;
    const category = type === 'kindergarten' ? '11' : '21';
    const code = `${category}${options.province.slice(0, 2)}${String(sequences[category]!++).padStart(6, '0')}`;
    const nth = (perCounty.get(county.code) ?? 0) + 1;
    perCounty.set(county.code, nth);
    const ownership: Ownership = type !== 'kindergarten' || random.chance(0.45) ? 'public' : 'private';
    const place = placeName(tree, county);
    const town = `${random.pick(TOWN_CHARS)}${random.pick(TOWN_CHARS)}${random.chance(0.7) ? '镇' : '乡'}`;
    const name =
      type === 'attached-kindergarten' ? `${place}${town}中心小学附设幼儿园`
      : type === 'preschool-class' ? `${place}${town}${random.pick(TOWN_CHARS)}${random.pick(TOWN_CHARS)}村小学学前班`
      : ownership === 'private' ? `${place}${random.pick(BRANDS)}幼儿园${random.chance(0.3) ? `${NUMERALS[random.int(5)]}分园` : ''}`
      : random.chance(0.6) ? `${place}第${NUMERALS[(nth - 1) % NUMERALS.length]}幼儿园` : `${place}${town}中心幼儿园`;
    const licence = type === 'kindergarten' ? `教${ownership === 'private' ? '民' : '公'}${county.code}${String(nth).padStart(6, '0')}号` : null;
    planned.push({ entry: { code, name, type, divisionCode: county.code, ownership, licence }, size, bench: false });
  }
  // bench institutions: kindergartens, one per county as far as the counties go
  const seen = new Set<string>();
  const candidates = random.shuffle(planned.filter((p) => p.entry.type === 'kindergarten'));
  for (const pass of [true, false]) {
    for (const p of candidates) {
      if (planned.filter((x) => x.bench).length >= options.benchInstitutions) break;
      if (p.bench || (pass && seen.has(p.entry.divisionCode))) continue;
      p.bench = true;
      seen.add(p.entry.divisionCode);
    }
  }
  // too few kindergartens for the bench ones: the missing bench children would silently become
  // second records of shared ID numbers (issue 22 item 12: 40000 gave 45 of 50 and 8 % shared)
  const benchCount = planned.filter((p) => p.bench).length;
  if (benchCount < options.benchInstitutions) {
    const regularNeeded = (options.benchInstitutions / 0.88) * 240 * 1.2; // kindergartens are 88 % of institutions, about 240 children each
    const suggested = Math.ceil((regularNeeded + options.benchInstitutions * options.benchChildren) / (1 - options.duplicateShare / 2) / 10_000) * 10_000;
    throw new Error(
      `${options.children} children give only ${benchCount} kindergartens for the ${options.benchInstitutions} bench kindergartens asked for ` +
        `(the rest of the bench children would become shared ID numbers, distorting the province): raise --children to about ${suggested}, or lower --bench-institutions to ${benchCount} or fewer`,
    );
  }
  return planned;
}

/** "郑州市中原区" ("济源市" for a county-level city under a placeholder prefecture). */
function placeName(tree: DivisionTree, county: Division): string {
  const parent = county.parent ? tree.get(county.parent) : undefined;
  return parent && parent.level === 'prefecture' && !parent.placeholder ? `${parent.name}${county.name}` : county.name;
}

// ---------------------------------------------------------------------------------------------
// Children

export interface ChildPlan {
  child: ChildFields;
  /** the child is 6 or older on 31 August of the school year: saved only with the registrar's confirmation */
  overAge: boolean;
}

export interface ChildContext {
  tree: DivisionTree;
  province: string;
  /** the institution's county */
  county: string;
  counties: readonly Division[];
  /** counties of other provinces (children of migrant workers keep their home ID numbers) */
  elsewhere: readonly Division[];
  ids: IdNumberAllocator;
  /** when the records are entered (ISO time): ages count from its school year */
  at: string;
  withoutIdShare: number;
}

const AGE_BANDS = new Weighted<number>([[2, 8], [3, 30], [4, 31], [5, 30], [6, 1]]);

/** A birth date at which the child is `age` on 31 August of the school year starting in `year`. */
function birthDateFor(random: Random, year: number, age: number): string {
  // age a on 31 August of `year`: born 1 September (year - a - 1) .. 31 August (year - a)
  const from = Date.UTC(year - age - 1, 8, 1);
  const to = Date.UTC(year - age, 7, 31);
  return new Date(from + random.int(Math.round((to - from) / 86_400_000) + 1) * 86_400_000).toISOString().slice(0, 10);
}

function phone(random: Random): string {
  return `1${random.pick(['3', '5', '7', '8', '9'])}${String(random.int(1e9)).padStart(9, '0')}`;
}

function adultId(random: Random, area: string, male: boolean, bornFrom: number, bornTo: number): string {
  const birth = new Date(Date.UTC(bornFrom, 0, 1) + random.int((bornTo - bornFrom + 1) * 365) * 86_400_000).toISOString().slice(0, 10);
  return residentIdNumber(area, birth, 2 * random.int(499) + (male ? 1 : 2));
}

/**
 * A child as a registrar enters one: a realistic name, a birth date for ages 2-6 (a few over-age),
 * gender and birth date agreeing with the ID number, household and birthplace in the ID's county
 * (mostly the kindergarten's, some elsewhere in the province, a few in other provinces), codes of
 * the code tables in a central province's proportions, one or two guardians. A share of children
 * has no ID number (证件类型 Z 其他, no number).
 */
export function planChild(random: Random, context: ChildContext): ChildPlan {
  const gender: '1' | '2' = random.chance(0.52) ? '1' : '2';
  const year = schoolYearStart(context.at);
  const birthDate = birthDateFor(random, year, AGE_BANDS.draw(random));
  const roll = random.next();
  const home = roll < 0.85 ? context.county : roll < 0.97 || context.elsewhere.length === 0 ? random.pick(context.counties).code : random.pick(context.elsewhere).code;
  const withoutId = random.chance(context.withoutIdShare);
  let idNumber: string | null = null;
  if (!withoutId) {
    for (let area = home; idNumber === null; area = random.pick(context.counties).code) idNumber = context.ids.next(area, birthDate, gender) ?? null;
  }
  const area = idNumber ? idNumber.slice(0, 6) : home;
  const surname = SURNAMES.draw(random);
  const name = childName(random, gender, surname);
  const foreign = withoutId && random.chance(0.1);
  const health = HEALTH.draw(random);
  const leftBehind = LEFT_BEHIND.draw(random);
  const guardians: Guardian[] = [];
  const guardianArea = area;
  if (leftBehind === '2' && random.chance(0.7)) {
    const male = random.chance(0.5);
    guardians.push({ name: adultName(random, male, male ? surname : undefined), relation: male ? '祖父' : '祖母', idType: '1', idNumber: adultId(random, guardianArea, male, 1955, 1972), phone: phone(random) });
  } else {
    if (random.chance(0.9)) guardians.push({ name: adultName(random, true, surname), relation: '父亲', idType: '1', idNumber: adultId(random, guardianArea, true, 1982, 1998), phone: phone(random) });
    if (guardians.length === 0 || random.chance(0.7)) guardians.push({ name: adultName(random, false), relation: '母亲', idType: '1', idNumber: adultId(random, guardianArea, false, 1984, 2000), phone: phone(random) });
  }
  const division = context.tree.get(area);
  const child: ChildFields = {
    name,
    gender,
    birthDate,
    idType: withoutId ? 'Z' : '1',
    idNumber,
    ethnicity: foreign ? null : ETHNICITY.draw(random),
    nationality: foreign ? random.pick(FOREIGN_NATIONALITY) : 'CHN',
    hkMacaoTaiwan: '00',
    birthplaceCode: random.chance(0.9) ? area : home,
    householdCode: foreign ? null : area,
    householdType: foreign ? null : HOUSEHOLD_TYPE.draw(random),
    address: `${division && division.code.startsWith(context.province.slice(0, 2)) ? division.name : ''}${random.pick(ROADS)}${1 + random.int(300)} 号${random.chance(0.6) ? `${1 + random.int(30)} 号楼 ${1 + random.int(6)} 单元` : ''}`,
    healthStatus: health,
    disabilityType: health === '50' ? DISABILITY.draw(random) : null,
    bloodType: BLOOD.draw(random),
    onlyChild: random.chance(0.28) ? '1' : '0',
    leftBehind,
    migrantWorkerChild: area.slice(0, 2) !== context.province.slice(0, 2) || random.chance(0.08) ? '1' : '0',
    orphan: random.chance(0.0008) ? '1' : '0',
    guardians,
  };
  return { child, overAge: ageOn(birthDate, `${year}-08-31`) >= 6 };
}

/** The same child entered again in another kindergarten (moved, or entered twice): same key information, new address. */
export function twinOf(random: Random, plan: ChildPlan): ChildPlan {
  return { ...plan, child: { ...plan.child, address: `${random.pick(ROADS)}${1 + random.int(300)} 号`, guardians: plan.child.guardians.map((g) => ({ ...g })) } };
}

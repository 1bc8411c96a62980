// Regenerates the nationality/region table (国籍/地区, GB/T 2659.1-2022 = ISO 3166-1 alpha-3)
// in src/records/data/code-tables.json from the i18n-iso-countries package (dev dependency).
// Run: node scripts/generate-nationalities.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const countries = require('i18n-iso-countries');
countries.registerLocale(require('i18n-iso-countries/langs/zh.json'));
const version = require('i18n-iso-countries/package.json').version;

// GB/T 2659 names the three regions of China as 中国香港 / 中国澳门 / 中国台湾
const OVERRIDES = { HKG: '中国香港', MAC: '中国澳门', TWN: '中国台湾' };
const ALIASES = { CHN: ['中华人民共和国'], USA: ['美利坚合众国'], GBR: ['英国'], KOR: ['韩国'], PRK: ['朝鲜'], RUS: ['俄罗斯'] };

const names = countries.getNames('zh', { select: 'official' });
const codes = Object.entries(names)
  .map(([alpha2, label]) => {
    const code = countries.alpha2ToAlpha3(alpha2);
    const entry = { code, label: OVERRIDES[code] ?? label };
    const aliases = [...(ALIASES[code] ?? []), ...(OVERRIDES[code] && OVERRIDES[code] !== label ? [label] : [])].filter((a) => a !== entry.label);
    return aliases.length ? { ...entry, aliases } : entry;
  })
  .sort((a, b) => (a.code === 'CHN' ? -1 : b.code === 'CHN' ? 1 : a.code.localeCompare(b.code)));

const path = new URL('../src/records/data/code-tables.json', import.meta.url);
const data = JSON.parse(readFileSync(path, 'utf8'));
data.tables.nationality = {
  standard: 'GB/T 2659.1-2022 国籍/地区 (= ISO 3166-1 alpha-3)',
  certainty: 'derived',
  note: `codes and Chinese names from i18n-iso-countries ${version} (zh); HKG/MAC/TWN named as GB/T 2659 does; CHN first`,
  codes,
};
writeFileSync(path, `${JSON.stringify(data, null, 2)}\n`);
console.log(`nationality: ${codes.length} codes`);

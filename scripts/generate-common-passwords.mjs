// Writes resources/common-passwords.txt: the passwords people pick most often (the top of the
// public leak rankings, Chinese favourites, keyboard walks) and the decorations that make them
// pass a length-and-character-class rule (Password1!, Admin@123, P@ssw0rd). Lower case: the
// service compares case-insensitively. Run: node scripts/generate-common-passwords.mjs
import { writeFileSync } from 'node:fs';

const words = `password passw0rd pass admin administrator root test guest user login welcome changeme default system manager master
qwerty qwertyuiop asdfgh asdfghjkl zxcvbn zxcvbnm qazwsx 1qaz2wsx 1qaz2wsx3edc zaq12wsx qwe123 qweasd qweasdzxc asdf zxcv qwer abc abcd abcdef
letmein iloveyou trustno1 dragon monkey shadow sunshine princess football baseball soccer hockey basketball superman batman starwars pokemon
michael jennifer jordan thomas robert daniel andrew charlie george jessica michelle ashley nicole amanda matthew joshua hunter buster tigger
maggie ginger pepper cheese summer winter spring autumn freedom whatever secret killer hello hello123 computer internet security access
flower lovely angel beautiful sweet happy lucky money cookie chocolate banana orange apple purple silver golden diamond
china beijing shanghai guangzhou shenzhen zhongguo henan zhengzhou kaifeng wuhan nanjing tianjin chengdu
woaini woaini1314 5201314 1314520 521521 woshishui nihao aini wangyi baidu tencent taobao alibaba weixin wechat qq qqqq
wang zhang li liu chen yang huang zhao zhou wu xu sun ma zhu hu guo lin he gao luo
baobao beibei xiaoming xiaohong laoshi xuexiao youeryuan yuanzhang jiaoyu xuesheng haizi kindergarten school teacher student education
office work company server database oracle mysql sql backup service support demo sample temp temp123 newpass mypass mypassword
abc123 abcd1234 a123456 aa123456 a1b2c3 a1b2c3d4 aaa111 aaaaaa qq123456 abc123456 123456a 123456aa 123abc 1q2w3e 1q2w3e4r 1q2w3e4r5t
123qwe 123qweasd qwe123asd zxc123 asd123 qwer1234 asdf1234 zxcv1234 1234qwer q1w2e3r4 q1w2e3 pass1234 pass123 test123 admin123 root123
123456 12345678 123456789 1234567890 12345 1234 111111 11111111 000000 00000000 123123 123321 654321 666666 888888 88888888 112233 121212
7777777 987654321 159753 147258 147258369 159357 258369 789456 456789 123654 520520 131313 696969 555555 999999 11223344`.split(/\s+/).filter(Boolean);

const suffixes = ['', '1', '123', '1234', '123456', '!', '1!', '123!', '@123', '@1234', '#123', '.123', '520', '1314', '2024', '2025', '2026', '@2025', '@2026'];
const prefixes = ['a', 'aa', 'abc', 'my'];

/** a→@, o→0, i→1, e→3, s→$ (one at a time and all at once): "p@ssw0rd" */
function leet(word) {
  const map = { a: '@', o: '0', i: '1', e: '3', s: '$' };
  const variants = new Set([word]);
  let all = word;
  for (const [from, to] of Object.entries(map)) {
    if (word.includes(from)) variants.add(word.replaceAll(from, to));
    all = all.replaceAll(from, to);
  }
  variants.add(all);
  variants.add(word.replace('a', '@').replace('o', '0'));
  return [...variants];
}

const out = new Set();
for (const word of words) {
  for (const base of leet(word)) {
    for (const suffix of suffixes) out.add(base + suffix);
  }
  for (const prefix of prefixes) out.add(prefix + word);
  out.add(word + word);
}
// keyboard walks with symbols (typed with shift): 1qaz@wsx, 1qaz!qaz, !qaz2wsx
for (const walk of ['1qaz@wsx', '!qaz2wsx', '!qaz@wsx', '1qaz!qaz', 'qwer!@#$', '!@#$%^', '!@#$%^&*', '1q2w3e4r!', 'q1w2e3r4!', '!q2w3e4r', 'qaz!@#', 'zaq1@wsx', 'zaq!2wsx', '1qaz#edc', 'p@ssw0rd!', 'p@$$w0rd', 'p@55w0rd']) out.add(walk);
const sorted = [...new Set([...out].map((p) => p.toLowerCase()))].sort();
writeFileSync(new URL('../resources/common-passwords.txt', import.meta.url), `${sorted.join('\n')}\n`);
console.log(`${sorted.length} passwords`);

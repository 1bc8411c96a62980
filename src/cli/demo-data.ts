// The demo province's registry file: used by `npm run demo` and by the access-matrix e2e test.
export const DEMO_PASSWORD = 'Demo#2026';

export const DEMO_REGISTRY_CSV = [
  '机构标识码,机构名称,机构类别,行政区划代码,办别,办学许可证号',
  '1141010001,郑州市中原区第一幼儿园,幼儿园,410102,公办,教民141010270000001号',
  '1141010002,郑州市中原区阳光幼儿园,幼儿园,410102,民办,教民141010270000002号',
  '2141010003,郑州市中原区实验小学附设幼儿园,附设幼儿园,410102,公办,',
  '1141010004,郑州市二七区实验幼儿园,幼儿园,410103,公办,教民141010370000004号',
].join('\n');
